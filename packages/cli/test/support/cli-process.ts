/**
 * Runs the built `workflow-mastery` binary (packages/cli/dist/bin.js) as a real child process.
 * `npm test` builds before Jest; alone, run `npx tsc -b packages/cli` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The compiled executable. */
export const BIN = path.resolve(here, '../../dist/bin.js');
/** test/fixtures. */
export const FIXTURES = path.resolve(here, '../fixtures');

/** What a finished run printed and returned. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Throws a clear message when the CLI was not built. */
export function requireBuild(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build the CLI first (npx tsc -b packages/cli, or npm test)`);
}

/** A temporary folder with a SQLite database URL, and its clean-up. */
export function tempDatabase(): { dir: string; url: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'wm-cli-'));
  return { dir, url: `sqlite:${path.join(dir, 'workflows.sqlite')}`, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Environment of the child: no colours, no inherited database settings. */
function childEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.FORCE_COLOR;
  delete env.NODE_OPTIONS; // Jest's --experimental-vm-modules is not for the child
  return env;
}

/** Start the CLI with `args`; the caller waits or signals it. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): ChildProcess {
  requireBuild();
  return spawn(process.execPath, [BIN, ...args], { env: childEnv(env), cwd: cwd ?? process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Run the CLI to its end. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<CliResult> {
  const child = spawnCli(args, env, cwd);
  return finished(child);
}

/** Collect a child's output until it exits. */
export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Resolves with the first match of `re` in what `child` prints (stdout or stderr); `what` names it in failures. */
export function printed(child: ChildProcess, re: RegExp, what: string): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${what}: not printed within 30 s; printed: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = re.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${what}: exited with ${code} first; printed: ${out}`)));
  });
}

/** Parse stdout as the one JSON document `--json` prints. */
export function json<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not one JSON document:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}
