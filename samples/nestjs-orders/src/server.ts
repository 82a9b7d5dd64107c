/** Creates and starts the Nest application. */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule, type AppModuleOptions } from './app.module.js';

/** Options of {@link startServer}. */
export interface ServerOptions extends AppModuleOptions {
  /** @defaultValue 0 (any free port) */
  port?: number;
  /** @defaultValue 127.0.0.1 */
  host?: string;
  /** Nest's log levels, or false. @defaultValue ['error', 'warn'] */
  logger?: LogLevel[] | false;
}

/** A running app and its base URL (`http://127.0.0.1:<port>`). */
export interface RunningServer {
  app: INestApplication;
  url: string;
  /** Stops listening and closes the engine (and its storage). */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const app = await NestFactory.create(AppModule.register(options), { logger: options.logger ?? ['error', 'warn'] });
  app.enableShutdownHooks();
  const host = options.host ?? '127.0.0.1';
  await app.listen(options.port ?? 0, host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://${host}:${port}`, close: () => app.close() };
}
