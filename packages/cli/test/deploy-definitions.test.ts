import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, json, runCli, tempDatabase } from './support/cli-process.js';

// Every test runs the CLI as child processes (about half a second each).
jest.setTimeout(60_000);

const v1 = path.join(FIXTURES, 'parcel-v1.yaml');
const v2 = path.join(FIXTURES, 'parcel-v2.yaml');
const actions = path.join(FIXTURES, 'parcel-actions.mjs');

interface Deployed {
  name: string;
  version: string;
  hash: string;
  storedAt: number;
  created: boolean;
  unknownActions: string[];
}

describe('deploy FILE and definitions', () => {
  const db = tempDatabase();
  // File storage here; operate-instances.test.ts runs on SQLite.
  const env = { WORKFLOW_DATABASE_URL: `file:${path.join(db.dir, 'data')}` };
  afterAll(() => db.remove());

  it('stores a YAML definition once, lists unknown actions as a warning, and says when it was already stored', async () => {
    const first = await runCli(['deploy', v1], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/✔ deployed parcel@1 \(new version stored\)\n {2}hash {4}[0-9a-f]{64}\n {2}stored {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    expect(first.stderr).toContain('warning: actions not registered in this command: record, await_pickup');

    const again = json<Deployed>(await runCli(['deploy', v1, '--json'], env));
    expect(again).toMatchObject({ name: 'parcel', version: '1', created: false, unknownActions: ['record', 'await_pickup'] });
    const text = await runCli(['deploy', v1], env);
    expect(text.stdout).toContain('parcel@1 already stored with this content: nothing changed');
  });

  it('deploys JSON too, and with --module knows the actions and prints how to start it', async () => {
    const file = path.join(db.dir, 'parcel-v3.json');
    writeFileSync(file, JSON.stringify({ name: 'parcel', version: '3', steps: { pack: { action: 'record' } }, transitions: [] }));
    const result = await runCli(['deploy', file, '--module', actions], env);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('warning');
    expect(result.stdout).toContain(`start it: workflow-mastery --module ${actions} start parcel --workflow-version 3`);
  });

  it('refuses an invalid definition with every problem listed, and stores nothing', async () => {
    const file = path.join(db.dir, 'broken.yaml');
    writeFileSync(file, 'name: broken\nversion: "1"\nsteps:\n  a: { action: 5, timeout: 30x }\ntransitions:\n  - { from: a, to: nowhere }\n');
    const result = await runCli(['deploy', file], env);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toBe(`workflow-mastery: ${file} is not a valid definition (3 problems); nothing was stored [WF_DEFINITION_INVALID]`);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^ {2}- steps\.a\.action: .*got 5$/),
      expect.stringMatching(/^ {2}- steps\.a\.timeout: "30x" is not a duration/),
      expect.stringMatching(/^ {2}- transitions\[0\]\.to: unknown step or group "nowhere"/),
    ]);
    const asJson = await runCli(['deploy', file, '--json'], env);
    expect(json<{ error: { code: string; issues: unknown[] } }>(asJson).error).toMatchObject({ code: 'WF_DEFINITION_INVALID', issues: expect.arrayContaining([expect.objectContaining({ path: 'steps.a.timeout' })]) });
    const listed = json<{ items: Deployed[] }>(await runCli(['definitions', 'broken', '--json'], env));
    expect(listed.items).toEqual([]);
  });

  it('refuses the same version with other content as a conflict, and refuses unknown actions with --require-actions', async () => {
    const changed = path.join(db.dir, 'parcel-v1-changed.yaml');
    writeFileSync(changed, 'name: parcel\nversion: "1"\nsteps:\n  pack: { action: record }\ntransitions: []\n');
    const conflict = await runCli(['deploy', changed], env);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr.trim()).toMatch(/^workflow-mastery: Definition "parcel" version 1 is already stored with different content .*give this one a new version\. \[WF_DEFINITION_CONFLICT\]$/);

    const strict = await runCli(['deploy', v2, '--require-actions'], env);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('[WF_DEFINITION_INVALID]');
    expect(strict.stderr).toContain('steps.await_courier.action');

    const missing = await runCli(['deploy', 'nope.yaml'], env, db.dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('workflow-mastery: nope.yaml: no such file [CLI_FILE]');
  });

  it('lists every stored version with its hash prefix, and starts a deployed version by name', async () => {
    expect((await runCli(['deploy', v2], env)).code).toBe(0);
    const listed = json<{ items: Array<Deployed & { loaded: boolean; stored: boolean }> }>(await runCli(['definitions', '--json'], env));
    expect(listed.items.map((d) => `${d.name}@${d.version}`)).toEqual(['parcel@1', 'parcel@2', 'parcel@3']);
    expect(listed.items.every((d) => d.stored && !d.loaded)).toBe(true);

    const table = await runCli(['definitions', 'parcel'], env);
    expect(table.code).toBe(0);
    const row = table.stdout.split('\n').find((l) => /│ parcel +│ 2 /.test(l))!;
    expect(row).toMatch(new RegExp(`│ ${listed.items[1]!.hash.slice(0, 12)} │ \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d │ no `));

    // `run NAME` finds the deployed version in the store: only the actions come from the module.
    const run = json<{ definitionVersion: string; state: string; steps: Record<string, { status: string }> }>(await runCli(['run', 'parcel', '--workflow-version', '2', '--module', actions, '--json'], env));
    expect(run).toMatchObject({ definitionVersion: '2', state: 'WAITING' });
    expect(run.steps.await_courier!.status).toBe('WAITING');
  });
});
