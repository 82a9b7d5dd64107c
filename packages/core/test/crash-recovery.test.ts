/**
 * Crash test: a real child process runs many workflows on FileStorage and is SIGKILLed mid-run;
 * a new process finishes them all, and every step result is recorded exactly once.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { FileStorage } from '@workflow-mastery/core';

const child = path.join(import.meta.dirname, 'fixtures', 'crash-child.mjs');
const built = path.join(import.meta.dirname, '..', 'dist', 'index.js');
const COUNT = 120;

interface Run {
  output: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Run the child; with `killAfter`, SIGKILL it once that many workflows have completed. */
function runChild(directory: string, killAfter?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, directory, String(COUNT)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const last = output.trimEnd().split('\n').at(-1) ?? '';
      const m = /^progress (\d+)$/.exec(last);
      if (killAfter !== undefined && m && Number(m[1]) >= killAfter && proc.exitCode === null && !proc.killed) proc.kill('SIGKILL');
    });
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (code !== 0 && signal === null) reject(new Error(`child exited ${code}: ${stderr}`));
      else resolve({ output, code, signal });
    });
  });
}

describe('crash recovery on FileStorage (real child process, SIGKILL)', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('finishes every instance after a SIGKILL mid-run and records each step result exactly once', async () => {
    expect(existsSync(built)).toBe(true); // npm test builds the packages first
    dir = await mkdtemp(path.join(os.tmpdir(), 'wm-crash-'));

    const killed = await runChild(dir, 25);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.output).not.toContain('done ');

    const resumed = await runChild(dir);
    const doneLine = resumed.output.split('\n').find((l) => l.startsWith('done '));
    expect(doneLine).toBeDefined();
    const { ids, states } = JSON.parse(doneLine!.slice(5)) as { ids: string[]; states: Record<string, number> };
    expect(new Set(ids).size).toBe(COUNT);
    expect(states).toEqual({ COMPLETED: COUNT });

    const storage = new FileStorage({ directory: dir });
    await storage.init();
    try {
      const all = [];
      let cursor: string | undefined;
      do {
        const page = await storage.listInstances({ limit: 500, ...(cursor ? { cursor } : {}) });
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(all).toHaveLength(COUNT); // a killed start left no stray instance: idempotent start
      let retried = 0;
      for (const inst of all) {
        expect(inst.state).toBe('COMPLETED');
        const n = inst.data.n as number;
        expect(inst.data).toEqual({ n, reserved: n, charged: n * 10, shipped: `T${n}` });
        const history = await storage.getHistory(inst.id);
        expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
        for (const step of ['reserve', 'charge', 'ship']) {
          expect(history.filter((e) => e.type === 'step.completed' && e.stepId === step)).toHaveLength(1);
        }
        expect(history.filter((e) => e.type === 'workflow.completed')).toHaveLength(1);
        if (history.some((e) => e.type === 'step.retrying')) retried++;
      }
      expect(retried).toBe(Math.ceil(COUNT / 3));
    } finally {
      await storage.close();
    }
  }, 120_000);
});
