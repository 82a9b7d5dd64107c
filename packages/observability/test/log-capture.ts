/** A real pino logger (from `createLogger`) writing JSON lines into memory, for assertions. */
import { createLogger, type CreateLoggerOptions } from '../src/index.js';

/** One parsed log line. */
// Log lines carry arbitrary fields.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LogLine = Record<string, any>;

/** The logger and the lines it wrote so far. */
export function captureLogger(options: CreateLoggerOptions = {}) {
  const raw: string[] = [];
  const logger = createLogger({ level: 'debug', ...options, destination: { write: (line: string) => void raw.push(line) } });
  return {
    logger,
    raw,
    lines: (): LogLine[] => raw.flatMap((chunk) => chunk.split('\n').filter(Boolean)).map((l) => JSON.parse(l) as LogLine),
  };
}
