/** Waits for a promise, or for Ctrl-C / SIGTERM, whichever comes first. */

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
