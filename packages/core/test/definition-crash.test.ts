/**
 * Crash test: a real child process killed with SIGKILL between storing a definition and creating
 * the instance that uses it leaves either both or a harmless stored definition, never an instance
 * without its definition; a new process finishes every instance from the stored definitions alone.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ActionResult, FileStorage, silentLogger, WorkflowEngine } from '@workflow-mastery/core';

const child = path.join(import.meta.dirname, 'fixtures', 'definition-crash-child.mjs');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Runs the child and SIGKILLs it once its output matches `killWhen`. */
function runChild(directory: string, count: number, mode: string, killWhen: (output: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, directory, String(count), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (killWhen(output) && proc.exitCode === null && !proc.killed) proc.kill('SIGKILL');
    });
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => (signal === 'SIGKILL' || code === 0 ? resolve(output) : reject(new Error(`child exited ${code}: ${stderr}`))));
  });
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wm-defcrash-'));
  dirs.push(dir);
  return dir;
}

/** An engine with the actions but no definition: everything it runs comes from the store. */
function survivor(directory: string): WorkflowEngine {
  const engine = new WorkflowEngine({ storage: new FileStorage({ directory }), logger: silentLogger });
  engine.registerAction('hold', () => ActionResult.wait({ signal: 'go' }));
  engine.registerAction('finish', () => ActionResult.success({ finished: true }));
  return engine;
}

describe('a crash between storing a definition and creating its instance (real child process, SIGKILL)', () => {
  it('killed after the definition is stored and before the instance is written: only the stored definition is left, and it is reused', async () => {
    const dir = await tempDir();
    const output = await runChild(dir, 1, 'hang', (out) => out.includes('stored 1\n'));
    expect(output).not.toContain('started');
    const engine = survivor(dir);
    expect((await engine.listInstances()).items).toEqual([]);
    expect((await engine.listDefinitionVersions('crash_inline')).map((v) => v.version)).toEqual(['1']);
    // The harmless leftover is the same definition: starting it by name works and runs it.
    const inst = await engine.start('crash_inline', {}, { version: '1' });
    await engine.signal(inst.id, 'go');
    expect((await engine.waitFor(inst.id, { until: 'terminal' })).state).toBe('COMPLETED');
    await engine.close();
  });

  it('killed at any point of many starts: every instance written has its definition, and a new process finishes them all', async () => {
    const dir = await tempDir();
    const output = await runChild(dir, 400, 'normal', (out) => (out.match(/started/g)?.length ?? 0) >= 40);
    expect(output).not.toContain('done');
    const engine = survivor(dir);
    const instances = (await engine.listInstances({ limit: 1000 })).items;
    expect(instances.length).toBeGreaterThanOrEqual(40);
    const stored = new Set((await engine.listDefinitionVersions('crash_inline')).map((v) => v.version));
    for (const inst of instances) expect(stored.has(inst.definitionVersion)).toBe(true);
    for (const inst of instances) await engine.signal(inst.id, 'go');
    const done = await Promise.all(instances.map((inst) => engine.waitFor(inst.id, { until: 'terminal' })));
    expect(done.every((d) => d.state === 'COMPLETED' && d.data.finished === true)).toBe(true);
    await engine.close();
  });
});
