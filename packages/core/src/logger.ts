/** The logging seam: pino-compatible (`logger.info({ ids }, 'message')`). */

/** A structured logger; pino's `Logger` satisfies it. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child?(bindings: object): Logger;
}

/** Writes warnings and errors to stderr, drops the rest: the default when none is given. */
export const consoleLogger: Logger = {
  debug() {},
  info() {},
  warn(obj, msg) {
    console.warn(`[workflow-mastery] ${msg ?? ''}`, obj);
  },
  error(obj, msg) {
    console.error(`[workflow-mastery] ${msg ?? ''}`, obj);
  },
};

/** Drops everything. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** `logger.child(bindings)` when the logger has it, else the logger itself. */
export function childLogger(logger: Logger, bindings: object): Logger {
  return logger.child ? logger.child(bindings) : logger;
}
