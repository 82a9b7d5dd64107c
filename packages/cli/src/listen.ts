/** Start listening, turning "port in use" into a clear error. */
import type { Server } from 'node:http';
import type { Express } from 'express';
import { CliError } from './cli-error.js';

/** Resolves with the listening server. @throws CliError when the port is taken or not allowed. */
export function listen(app: Express, port: number, host?: string): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const server = host !== undefined ? app.listen(port, host) : app.listen(port);
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new CliError(`port ${port} is already in use; pick another with --port`, 1, 'CLI_PORT_IN_USE'));
      else if (error.code === 'EACCES') reject(new CliError(`not allowed to listen on port ${port}; use a port above 1023`, 1, 'CLI_PORT_DENIED'));
      else reject(error);
    });
  });
}
