/** Starting the sample's API and worker processes and reading their lines. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const here = import.meta.dirname;

/** A child process of the sample with the lines it printed. */
export interface SampleProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything it printed on stdout. */
  output(): string;
  /** Resolves with the first stdout line matching `re`. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or signal) once it exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Start `api` or `worker` (the compiled `<dir>/<role>.js`, by default next to this file) with
 * `env` added to this process's.
 */
export function startProcess(role: 'api' | 'worker', env: Record<string, string>, options: { dir?: string } = {}): SampleProcess {
  const child = spawn(process.execPath, [path.join(options.dir ?? here, `${role}.js`)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    out += text;
    for (const w of waiters.splice(0)) w();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    pid: child.pid!,
    output: () => out,
    exited,
    waitFor(re, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${role} ${child.pid} did not print ${re} within ${timeoutMs} ms. stdout:\n${out}\nstderr:\n${err}`)), timeoutMs);
        const check = () => {
          const m = re.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m);
          } else waiters.push(check);
        };
        void exited.then(() => {
          if (!re.exec(out)) {
            clearTimeout(timer);
            reject(new Error(`${role} ${child.pid} exited before printing ${re}. stderr:\n${err}`));
          }
        });
        check();
      });
    },
  };
}
