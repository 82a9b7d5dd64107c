/** A real listening server for the Express tests. */
import type { Server } from 'node:http';

/** Listen on a free port of 127.0.0.1. */
export function listen(server: Server): Promise<Server> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Stop `server`. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
