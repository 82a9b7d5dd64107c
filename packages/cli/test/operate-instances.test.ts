import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import path from 'node:path';
import { FIXTURES, json, runCli, tempDatabase, type CliResult } from './support/cli-process.js';

// Every test runs the CLI as child processes (about half a second each).
jest.setTimeout(90_000);

const actions = path.join(FIXTURES, 'parcel-actions.mjs');
const withActions = ['--module', actions];

interface Instance {
  id: string;
  state: string;
  definitionVersion: string;
  data: Record<string, unknown>;
  steps: Record<string, { status: string }>;
}
interface HistoryEvent {
  type: string;
  stepId?: string;
  data?: Record<string, unknown>;
}

describe('migrating instances and operator controls', () => {
  const db = tempDatabase();
  // SQLite (the default storage): the definitions live in its table next to the instances.
  const env = { WORKFLOW_DATABASE_URL: db.url };
  const waitingV1 = async (): Promise<Instance> => json<Instance>(await runCli(['run', 'parcel', '--workflow-version', '1', ...withActions, '--json'], env));
  const status = async (id: string): Promise<Instance> => json<Instance>(await runCli(['status', id, '--json'], env));
  const history = async (id: string): Promise<HistoryEvent[]> => json<{ events: HistoryEvent[] }>(await runCli(['history', id, '--json'], env)).events;
  const oneErrorLine = (r: CliResult) => expect(r.stderr.trim().split('\n')).toHaveLength(1);

  beforeAll(async () => {
    for (const file of ['parcel-v1.yaml', 'parcel-v2.yaml']) expect((await runCli(['deploy', path.join(FIXTURES, file)], env)).code).toBe(0);
  });
  afterAll(() => db.remove());

  it('migrate-instance: refused when a step has no place, a dry run changes nothing, then applied and finished on v2', async () => {
    const inst = await waitingV1();
    expect(inst.steps.wait_pickup!.status).toBe('WAITING');

    const unplaced = await runCli(['migrate-instance', inst.id, '--to', '2'], env);
    expect(unplaced.code).toBe(1);
    oneErrorLine(unplaced);
    expect(unplaced.stderr).toContain('wait_pickup');

    const dry = await runCli(['migrate-instance', inst.id, '--to', '2', '--step-map', 'wait_pickup=await_courier', '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run: nothing changed');
    expect(dry.stdout).toMatch(/open steps: +wait_pickup → await_courier \(WAITING\)/);
    expect(dry.stdout).toMatch(/done steps: +pack/);
    expect(dry.stdout).toContain(`apply it: workflow-mastery migrate-instance ${inst.id} --to 2 --step-map wait_pickup=await_courier`);
    expect((await status(inst.id)).definitionVersion).toBe('1');

    const applied = await runCli(['migrate-instance', inst.id, '--to', '2', '--step-map', 'wait_pickup=await_courier', '--by', 'ops'], env);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`✔ ${inst.id} migrated from v1 to v2`);
    const moved = await status(inst.id);
    expect(moved.definitionVersion).toBe('2');
    expect(moved.steps.await_courier!.status).toBe('WAITING');
    expect((await history(inst.id)).find((e) => e.type === 'instance.migrated')!.data).toMatchObject({ by: 'ops' });

    const done = json<Instance>(await runCli(['signal', inst.id, 'picked_up', ...withActions, '--json'], env));
    expect(done.state).toBe('COMPLETED');
    expect(done.steps.notify!.status).toBe('COMPLETED');

    const ended = await runCli(['migrate-instance', inst.id, '--to', '1'], env);
    expect(ended.code).toBe(1);
    oneErrorLine(ended);
    const usage = await runCli(['migrate-instance', inst.id], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim()).toBe('workflow-mastery: migrate-instance needs --to VERSION (the version to move the instance to)');
    const badMap = await runCli(['migrate-instance', inst.id, '--to', '2', '--step-map', 'wait_pickup'], env);
    expect(badMap.code).toBe(2);
    expect(badMap.stderr).toContain('--step-map "wait_pickup" must be OLD_STEP=NEW_STEP');
  });

  it('migrate-instances: a dry-run summary, --yes needed, pages with progress, and resumable', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await waitingV1()).id);

    const refusedAll = await runCli(['migrate-instances', 'parcel@1', '--to', '2', '--dry-run'], env);
    expect(refusedAll.code).toBe(0);
    expect(refusedAll.stdout).toContain('parcel v1 → v2: 0 instances to migrate, 3 refused');

    const mapped = ['migrate-instances', 'parcel@1', '--to', '2', '--step-map', 'wait_pickup=await_courier'];
    const dry = await runCli([...mapped, '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('parcel v1 → v2: 3 instances to migrate, 0 refused');
    expect(dry.stdout).toMatch(/wait_pickup → await_courier +3 instances/);
    expect(dry.stdout).toContain('apply it: workflow-mastery migrate-instances parcel@1 --to 2 --step-map wait_pickup=await_courier --yes');

    const unconfirmed = await runCli(mapped, env);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('nothing was migrated: pass --yes to apply');
    for (const id of ids) expect((await status(id)).definitionVersion).toBe('1');

    const applied = await runCli([...mapped, '--yes', '--limit', '2'], env);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/\[2\/3\] page 1: 2 migrated/);
    expect(applied.stdout).toMatch(/\[3\/3\] page 2: 1 migrated/);
    expect(applied.stdout).toContain('✔ 3 instance(s) of parcel migrated from v1 to v2');
    for (const id of ids) expect((await status(id)).definitionVersion).toBe('2');

    // Migrated instances no longer match: running it again has nothing left to do.
    const again = await runCli([...mapped, '--yes', '--json'], env);
    expect(again.code).toBe(0);
    expect(json<{ migrated: number }>(again).migrated).toBe(0);

    const badSource = await runCli(['migrate-instances', 'parcel', '--to', '2'], env);
    expect(badSource.code).toBe(2);
    expect(badSource.stderr.trim()).toBe('workflow-mastery: the source "parcel" must be NAME@VERSION, e.g. order@1');
  });

  it('skip-step completes a stuck step with data; update-data patches the data; retry-from runs a step again', async () => {
    const inst = await waitingV1();

    const patched = await runCli(['update-data', inst.id, '--patch', '{"address":"1 Main St"}', '--by', 'ops'], env);
    expect(patched.code).toBe(0);
    expect(patched.stdout).toContain(`data of ${inst.id} updated (address)`);
    expect((await status(inst.id)).data).toMatchObject({ address: '1 Main St' });

    const retried = await runCli(['retry-from', inst.id, 'pack', ...withActions, '--by', 'ops'], env);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain(`${inst.id} retried from step pack`);
    const afterRetry = await status(inst.id);
    expect(afterRetry.data).toMatchObject({ pack_count: 2 });
    expect(afterRetry.steps.wait_pickup!.status).toBe('WAITING');

    const skipped = await runCli(['skip-step', inst.id, 'wait_pickup', '--data', '{"picked_by":"hand"}', ...withActions, '--json'], env);
    expect(skipped.code).toBe(0);
    const done = json<Instance>(skipped);
    expect(done.state).toBe('COMPLETED');
    expect(done.data).toMatchObject({ picked_by: 'hand' });

    const events = await history(inst.id);
    for (const type of ['instance.data_updated', 'instance.retried_from', 'step.skipped_by_operator']) {
      expect({ type, found: events.some((e) => e.type === type) }).toEqual({ type, found: true });
    }

    const badPatch = await runCli(['update-data', inst.id, '--patch', '[1]'], env);
    expect(badPatch.code).toBe(2);
    expect(badPatch.stderr.trim()).toBe(`workflow-mastery: --patch value is not a JSON object: got an array; write an object such as '{"order":{"id":1}}'`);
    const noPatch = await runCli(['update-data', inst.id], env);
    expect(noPatch.code).toBe(2);
    const unknownStep = await runCli(['skip-step', inst.id, 'nope'], env);
    expect(unknownStep.code).toBe(1);
    oneErrorLine(unknownStep);
    const unknownInstance = await runCli(['retry-from', 'no-such-instance', 'pack'], env);
    expect(unknownInstance.code).toBe(1);
    expect(unknownInstance.stderr).toContain('[WF_NOT_FOUND]');
  });
});
