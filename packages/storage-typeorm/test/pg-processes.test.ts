/**
 * Real processes on one PostgreSQL database: two engines share the work without ever running the
 * same attempt twice, and a SIGKILLed engine's instances are finished by a new process.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { adminConnection, describeIf, dropTables, PG_URL, serverAvailable, serverStorage, uniquePrefix, type AdminConnection } from './support/databases.js';

const worker = path.join(import.meta.dirname, 'fixtures', 'pg-worker.mjs');
const built = path.join(import.meta.dirname, '..', 'dist', 'index.js');
const available = await serverAvailable('postgres');
const COUNT = 80;

function run(prefix: string, log: string, killAfter?: number): Promise<{ output: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [worker, PG_URL, prefix, String(COUNT), log], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stderr = '';
    proc.stdout.on('data', (c: Buffer) => {
      output += c.toString();
      const m = /progress (\d+)\n$/.exec(output);
      if (killAfter !== undefined && m && Number(m[1]) >= killAfter && !proc.killed) proc.kill('SIGKILL');
    });
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    proc.on('exit', (code, signal) => (code !== 0 && signal === null ? reject(new Error(`worker exited ${code}: ${stderr}`)) : resolve({ output, signal })));
  });
}

type Execution = { instance: string; step: string; attempt: number; pid: number; start: number; end: number };
const executions = (log: string): Execution[] =>
  readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [instance, step, attempt, pid, start, end] = l.split(' ');
      return { instance: instance!, step: step!, attempt: Number(attempt), pid: Number(pid), start: Number(start), end: Number(end) };
    });

async function checkAllCompletedOnce(prefix: string): Promise<void> {
  const storage = serverStorage('postgres', prefix);
  await storage.init();
  try {
    const { items } = await storage.listInstances({ limit: 1000 });
    expect(items).toHaveLength(COUNT);
    for (const inst of items) {
      expect(inst.state).toBe('COMPLETED');
      const n = inst.data.n as number;
      expect(inst.data).toEqual({ n, reserved: n, charged: n * 10, shipped: `T${n}` });
      const history = await storage.getHistory(inst.id);
      expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
      for (const step of ['reserve', 'charge', 'ship']) {
        expect(history.filter((e) => e.type === 'step.completed' && e.stepId === step)).toHaveLength(1);
      }
    }
  } finally {
    await storage.close();
  }
}

describeIf(available)('engines in real processes on PostgreSQL', () => {
  let admin: AdminConnection;
  let dir: string;
  const prefixes: string[] = [];
  beforeAll(async () => {
    admin = await adminConnection('postgres');
    dir = mkdtempSync(path.join(os.tmpdir(), 'wm-pg-proc-'));
  });
  afterAll(async () => {
    for (const p of prefixes) await dropTables(admin, 'postgres', p);
    await admin.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('two processes share the work: every attempt runs once, never at the same time in both', async () => {
    expect(existsSync(built)).toBe(true); // npm test builds the packages first
    const prefix = uniquePrefix('pgproc');
    prefixes.push(prefix);
    const log = path.join(dir, 'shared.log');
    // Create the tables once so both processes start on a migrated schema.
    const setup = serverStorage('postgres', prefix);
    await setup.init();
    await setup.close();
    const [a, b] = await Promise.all([run(prefix, log), run(prefix, log)]);
    expect(a.output).toContain('done');
    expect(b.output).toContain('done');
    const runs = executions(log);
    const keys = runs.map((r) => `${r.instance}/${r.step}/${r.attempt}`);
    expect(new Set(keys).size).toBe(keys.length); // no attempt ran twice
    expect(new Set(runs.map((r) => r.pid)).size).toBe(2); // both processes did work
    expect(runs).toHaveLength(COUNT * 3 + COUNT / 4); // every fourth charge is retried once
    await checkAllCompletedOnce(prefix);
  }, 120_000);

  it('a process SIGKILLed mid-run: a new process finishes every instance, each result recorded once', async () => {
    const prefix = uniquePrefix('pgcrash');
    prefixes.push(prefix);
    const log = path.join(dir, 'crash.log');
    const killed = await run(prefix, log, 20);
    expect(killed.signal).toBe('SIGKILL');
    const resumed = await run(prefix, log);
    expect(resumed.output).toContain('done');
    await checkAllCompletedOnce(prefix);
    // Attempts interrupted by the kill ran again (at least once); none ran concurrently with itself.
    const byKey = new Map<string, Execution[]>();
    for (const r of executions(log)) byKey.set(`${r.instance}/${r.step}/${r.attempt}`, [...(byKey.get(`${r.instance}/${r.step}/${r.attempt}`) ?? []), r]);
    for (const list of byKey.values()) {
      const sorted = list.sort((x, y) => x.start - y.start);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.start).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
    }
  }, 120_000);
});
