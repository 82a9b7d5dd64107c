import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { FIXTURES, json, runCli, tempDatabase } from './support/cli-process.js';

// Every step runs the CLI as a child process.
jest.setTimeout(90_000);

const greeting = path.join(FIXTURES, 'greeting.yaml');
const actions = path.join(FIXTURES, 'greeting-actions.mjs');
const [A, B, C] = [randomBytes(32).toString('hex'), randomBytes(32).toString('base64'), randomBytes(32).toString('hex')];

interface Usage {
  instances: number;
  keys: Record<string, number>;
  unencrypted: number;
  records: number;
  events: number;
  done: boolean;
}

describe('reencrypt: retiring an encryption key from the command line', () => {
  const db = tempDatabase();
  afterAll(() => db.remove());
  const env = (keys: string, current?: string) => ({
    WORKFLOW_DATABASE_URL: db.url,
    WORKFLOW_ENCRYPTION_KEYS: keys,
    ...(current ? { WORKFLOW_ENCRYPTION_KEY_ID: current } : {}),
  });
  const ids: string[] = [];

  it('rotates A to B: old values are counted, rewritten batch by batch, then read with key B alone', async () => {
    for (const name of ['Ada', 'Grace', 'Barbara']) {
      const run = await runCli(['run', greeting, '--module', actions, '--data', JSON.stringify({ name }), '--json'], env(`A:${A}`));
      expect(run.code).toBe(0);
      ids.push(json<{ id: string }>(run).id);
    }
    const rotated = env(`A:${A},B:${B}`, 'B');

    const before = await runCli(['reencrypt', '--dry-run', '--json'], rotated);
    expect(before.code).toBe(0);
    const usage = json<Usage>(before);
    expect(usage).toMatchObject({ instances: 3, unencrypted: 0, done: true });
    expect(Object.keys(usage.keys)).toEqual(['A']);
    expect((await runCli(['reencrypt', '--dry-run'], rotated)).stdout).toContain('still in use: A');

    // Key B alone cannot read yet, and says which key is missing.
    const unreadable = await runCli(['status', ids[0]!], env(`B:${B}`));
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr).toContain('"A"');

    const pass = await runCli(['reencrypt', '--batch', '2'], rotated);
    expect(pass.code).toBe(0);
    expect(pass.stdout).toMatch(/\[2 instances done\] 2 records, \d+ events re-encrypted \(resume: --resume \S+\)/);
    expect(pass.stdout).toMatch(/\[3 instances done\] 3 records/);
    expect(pass.stdout).toContain('3 instance(s) visited: 3 records and');
    expect(pass.stdout).toContain('A can be removed from WORKFLOW_ENCRYPTION_KEYS');

    const onlyB = env(`B:${B}`);
    const after = json<Usage>(await runCli(['reencrypt', '--dry-run', '--json'], onlyB));
    expect(Object.keys(after.keys)).toEqual(['B']);
    expect(after.keys.B).toBe(usage.keys.A);
    for (const [i, name] of ['Ada', 'Grace', 'Barbara'].entries()) {
      const status = await runCli(['status', ids[i]!, '--json'], onlyB);
      expect(status.code).toBe(0);
      expect(json<{ data: Record<string, unknown> }>(status).data).toMatchObject({ name, greeting: `Hello, ${name}!` });
      const history = await runCli(['history', ids[i]!, '--json'], onlyB);
      expect(history.code).toBe(0);
      expect(history.stdout).toContain(`Hello, ${name}!`);
    }
  });

  it('resumes from a printed cursor, and skips what is already under the current key', async () => {
    const toC = env(`B:${B},C:${C}`, 'C');
    const first = await runCli(['reencrypt', '--batch', '1'], toC);
    expect(first.code).toBe(0);
    const cursor = /\[1 instances done\].*--resume (\S+)\)/.exec(first.stdout)![1]!;
    const resumed = json<Usage>(await runCli(['reencrypt', '--resume', cursor, '--json'], toC));
    expect(resumed).toMatchObject({ instances: 2, records: 0, events: 0, done: true });
    expect(Object.keys(resumed.keys)).toEqual(['C']);
  });

  it('says what to set when the keys are missing or ambiguous', async () => {
    const none = await runCli(['reencrypt'], { WORKFLOW_DATABASE_URL: db.url });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('WORKFLOW_ENCRYPTION_KEYS');
    const two = await runCli(['reencrypt'], env(`B:${B},C:${C}`));
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('WORKFLOW_ENCRYPTION_KEY_ID');
    const bad = await runCli(['reencrypt', '--batch', '0'], env(`C:${C}`));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--batch');
  });
});
