/**
 * The `main` of the framework samples: start the app's server, print where it listens, then either
 * keep serving until SIGINT/SIGTERM, or (`--demo`) drive the workflow over HTTP against itself,
 * close, and exit 0 when the demo ended as designed, 1 otherwise (or on an error, printed as one line).
 */

/** A server the sample started. */
export interface RunningSample {
  url: string;
  close(): Promise<void>;
}

/** Options of {@link serveOrDemo}. */
export interface ServeOrDemoOptions {
  /** True with `--demo`. */
  demo: boolean;
  start(): Promise<RunningSample>;
  /** The first line, e.g. `document approval on Express: <url>/api  storage: memory`. */
  banner(url: string): string;
  /** Lines telling how to try the running server by hand. */
  hint(url: string): string[];
  /** Drives the demo against `url`; true when everything ended as designed. */
  runDemo(url: string): Promise<boolean>;
  /** Close the server on SIGINT/SIGTERM (false when the framework's shutdown hooks do). @defaultValue true */
  closeOnSignals?: boolean;
}

/** Runs the sample and sets `process.exitCode` when it ends. */
export function serveOrDemo(options: ServeOrDemoOptions): void {
  const main = async (): Promise<number> => {
    const server = await options.start();
    process.stdout.write(`${options.banner(server.url)}\n`);
    if (!options.demo) {
      for (const line of options.hint(server.url)) process.stdout.write(`${line}\n`);
      if (options.closeOnSignals !== false) {
        const stop = () => void server.close().then(() => process.exit(0));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }
      return -1; // keep serving
    }
    try {
      process.stdout.write('\n');
      return (await options.runDemo(server.url)) ? 0 : 1;
    } finally {
      await server.close();
    }
  };
  main().then(
    (code) => {
      if (code >= 0) process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
