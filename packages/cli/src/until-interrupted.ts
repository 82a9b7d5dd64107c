/** Waits for a promise, or for Ctrl-C / SIGTERM, whichever comes first; or for the signal alone. */

/** `engine.waitFor`'s timeout when following an instance until it settles or Ctrl-C (setTimeout's limit is 2^31-1 ms). */
export const WAIT_FOREVER_MS = 2_147_000_000;

/** `promise`'s value, or `'interrupted'` on SIGINT/SIGTERM (the handlers are removed afterwards). */
export function untilInterrupted<T>(promise: Promise<T>): Promise<T | 'interrupted'> {
  return new Promise<T | 'interrupted'>((resolve, reject) => {
    const onSignal = () => {
      cleanup();
      resolve('interrupted');
    };
    const cleanup = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    promise.then(
      (value) => {
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        cleanup();
        reject(error);
      },
    );
  });
}

/** The first SIGTERM or SIGINT: how `serve` and `worker` wait until they are told to stop. */
export function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}
