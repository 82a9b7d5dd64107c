/**
 * Business keys, search attributes and the purge through the real binary, on both storages the CLI
 * keeps on disk (SQLite and the file storage): start with a key, list by key and by attribute, a
 * taken unique key, `purge --dry-run` then `purge --archive-dir`.
 */
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FIXTURES, json, runCli } from './support/cli-process.js';

jest.setTimeout(90_000);

const greeting = path.join(FIXTURES, 'greeting.yaml');
const receipt = path.join(FIXTURES, 'receipt.yaml');
const actions = path.join(FIXTURES, 'greeting-actions.mjs');

interface Instance {
  id: string;
  state: string;
  businessKey?: string;
  attributes?: Record<string, string>;
  purgeAfter?: number;
}
interface PurgeOutput {
  dryRun: boolean;
  candidates: number;
  purged: number;
  archived: number;
  byDefinition: Record<string, number>;
  more: boolean;
}

const dir = mkdtempSync(path.join(tmpdir(), 'wm-cli-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['SQLite', `sqlite:${path.join(dir, 'keys.sqlite')}`],
  ['the file storage', `file:${path.join(dir, 'files')}`],
])('business keys, search attributes and purge on %s', (_name, url) => {
  const env = { WORKFLOW_DATABASE_URL: url };
  const ids = (out: { items: Instance[] }) => out.items.map((i) => i.id).sort();

  it('starts with a business key, lists by key and by --attr, shows the key in the table and in status', async () => {
    const a = await runCli(['start', receipt, '--module', actions, '--business-key', 'ORDER-1', '--data', '{"customer":{"id":"C-1"}}', '--json'], env);
    expect(a.code).toBe(0);
    const first = json<Instance>(a);
    expect(first).toMatchObject({ businessKey: 'ORDER-1', attributes: { customer: 'C-1' } });
    const b = json<Instance>(await runCli(['start', receipt, '--module', actions, '--business-key', 'ORDER-2', '--data', '{"customer":{"id":"C-2"}}', '--json'], env));

    const byKey = json<{ items: Instance[] }>(await runCli(['list', '--business-key', 'ORDER-1', '--json'], env));
    expect(byKey.items.map((i) => [i.id, i.businessKey])).toEqual([[first.id, 'ORDER-1']]);
    const byAttr = await runCli(['list', '--attr', 'customer=C-2', '--json'], env);
    expect(ids(json<{ items: Instance[] }>(byAttr))).toEqual([b.id]);
    const both = json<{ items: Instance[] }>(await runCli(['list', '--business-key', 'ORDER-2', '--attr', 'customer=C-1', '--json'], env));
    expect(both.items).toEqual([]);

    const table = await runCli(['list', '--workflow', 'receipt'], env);
    expect(table.stdout).toMatch(/│ state\s+│ business key\s+│/);
    expect(table.stdout).toMatch(new RegExp(`${first.id}.*ORDER-1`));
    const status = await runCli(['status', first.id], env);
    expect(status.stdout).toContain('business key ORDER-1');
    expect(status.stdout).toContain('attributes customer=C-1');
  });

  it('refuses a unique business key held by an unfinished instance, naming that instance', async () => {
    const held = await runCli(['start', greeting, '--module', actions, '--business-key', 'INV-7', '--unique-business-key'], env);
    expect(held.code).toBe(0);
    const holder = held.stdout.trim();
    const taken = await runCli(['start', greeting, '--module', actions, '--business-key', 'INV-7', '--unique-business-key'], env);
    expect(taken.code).toBe(1);
    expect(taken.stdout).toBe('');
    expect(taken.stderr.trim().split('\n')).toEqual([
      `workflow-mastery: business key "INV-7" of greeting is taken by unfinished instance ${holder}; wait until it finishes, cancel it, or start without --unique-business-key [WF_BUSINESS_KEY_TAKEN]`,
    ]);
    // Without --unique-business-key the same key is fine: both are listed under it.
    const again = await runCli(['start', greeting, '--module', actions, '--business-key', 'INV-7'], env);
    expect(again.code).toBe(0);
    const listed = json<{ items: Instance[] }>(await runCli(['list', '--business-key', 'INV-7', '--json'], env));
    expect(ids(listed)).toEqual([holder, again.stdout.trim()].sort());
  });

  it('rejects a malformed --attr and --unique-business-key without a key as usage errors', async () => {
    const bad = await runCli(['list', '--attr', 'customer'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--attr "customer" must be name=value');
    const lone = await runCli(['start', greeting, '--module', actions, '--unique-business-key'], env);
    expect(lone.code).toBe(2);
    expect(lone.stderr).toContain('--unique-business-key needs --business-key <key>');
  });

  it('purge --dry-run counts finished instances past their retention by workflow; purge archives then deletes them', async () => {
    const finished: string[] = [];
    for (const customer of ['C-10', 'C-11', 'C-12']) {
      const run = await runCli(['run', receipt, '--module', actions, '--business-key', `R-${customer}`, '--data', JSON.stringify({ customer: { id: customer } }), '--json'], env);
      expect(run.code).toBe(0);
      const inst = json<Instance>(run);
      expect(inst.state).toBe('COMPLETED');
      expect(typeof inst.purgeAfter).toBe('number');
      finished.push(inst.id);
    }
    // A greeting finished without retention is kept; one finished under --retention (WORKFLOW_RETENTION) is due.
    const kept = json<Instance>(await runCli(['run', greeting, '--module', actions, '--json'], env));
    expect(kept.purgeAfter).toBeUndefined();
    const retained = json<Instance>(await runCli(['run', greeting, '--module', actions, '--json'], { ...env, WORKFLOW_RETENTION: '1ms' }));
    expect(typeof retained.purgeAfter).toBe('number');
    finished.push(retained.id);
    const badRetention = await runCli(['run', greeting, '--module', actions, '--retention', 'soon'], env);
    expect(badRetention.code).toBe(2);
    expect(badRetention.stderr).toContain('--retention "soon" is not a duration');

    const dry = await runCli(['purge', '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('4 finished instances past their retention would be purged (dry run: nothing deleted)');
    expect(dry.stdout).toMatch(/│ greeting\s+│ 1\s+│/);
    expect(dry.stdout).toMatch(/│ receipt\s+│ 3\s+│/);
    expect(json<PurgeOutput>(await runCli(['purge', '--dry-run', '--json'], env))).toEqual({ dryRun: true, candidates: 4, purged: 0, archived: 0, byDefinition: { receipt: 3, greeting: 1 }, more: false });
    expect((await runCli(['status', finished[0]!, '--json'], env)).code).toBe(0);

    const archiveDir = path.join(dir, `archive-${_name.replace(/\W/g, '')}`);
    const purge = await runCli(['purge', '--batch-size', '2', '--archive-dir', archiveDir], env);
    expect(purge.code).toBe(0);
    expect(purge.stderr.trim().split('\n')).toEqual(['[2 purged] batch of 2, 2 archived', '[4 purged] batch of 2, 2 archived']);
    expect(purge.stdout).toContain(`purged 4 finished instances, archived 4 to ${archiveDir}`);
    expect(purge.stdout).toMatch(/│ receipt\s+│ 3\s+│/);

    const files = readdirSync(archiveDir);
    expect(files).toEqual([expect.stringMatching(/^instances-\d{4}-\d{2}-\d{2}\.jsonl$/)]);
    const lines = readFileSync(path.join(archiveDir, files[0]!), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { instance: Instance; history: unknown[] });
    expect(lines.map((l) => l.instance.id).sort()).toEqual([...finished].sort());
    expect(lines.every((l) => l.history.length > 0)).toBe(true);

    const gone = await runCli(['status', finished[0]!], env);
    expect(gone.code).toBe(1);
    expect(json<Instance>(await runCli(['status', kept.id, '--json'], env)).state).toBe('COMPLETED');
    expect(json<PurgeOutput>(await runCli(['purge', '--json'], env))).toMatchObject({ purged: 0, more: false });
  });
});
