/** WorkflowEngine: migrating running instances to another version (dry run, apply, refusals, renames, races). */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import type { WorkflowDefinitionInput } from '../definition/definition.types.js';
import type { WorkflowEngine } from './workflow-engine.js';
import { ok, setup, tick, types } from '../../test/support/engine-setup.js';

/** v1: a → w (waits for "go") → b. */
const v1: WorkflowDefinitionInput = {
  name: 'order',
  version: '1',
  steps: { a: { action: 'ok' }, w: { action: 'wait_go' }, b: { action: 'ok' } },
  transitions: [
    { from: 'a', to: 'w' },
    { from: 'w', to: 'b' },
  ],
};

/** v2: a → w → c (b is gone). */
const v2: WorkflowDefinitionInput = {
  name: 'order',
  version: '2',
  steps: { a: { action: 'ok' }, w: { action: 'wait_go' }, c: { action: 'ok' } },
  transitions: [
    { from: 'a', to: 'w' },
    { from: 'w', to: 'c' },
  ],
};

function engineWith(...defs: WorkflowDefinitionInput[]) {
  const { engine, storage, clock } = setup();
  engine.registerAction('ok', ok);
  engine.registerAction('wait_go', () => ActionResult.wait({ signal: 'go' }));
  for (const def of defs) engine.registerDefinition(def);
  return { engine, storage, clock };
}

/** Record version and history length: what a refusal must leave as it was. */
async function snapshot(engine: WorkflowEngine, id: string) {
  const inst = await engine.getInstance(id);
  return { version: inst.version, history: (await engine.getHistory(id)).length, definitionVersion: inst.definitionVersion };
}

describe('WorkflowEngine: migrating an instance', () => {
  it('plans with a dry run (nothing changes), applies in one commit, and the instance finishes on the new path', async () => {
    const { engine } = engineWith(v1);
    const { id } = await engine.start('order', { n: 1 }, { version: '1' });
    await engine.waitFor(id);
    await engine.deployDefinition(v2);
    const before = await snapshot(engine, id);

    const plan = await engine.migrateInstance(id, { toVersion: '2', dryRun: true, by: 'alice' });
    expect(plan).toMatchObject({ instanceId: id, definitionName: 'order', fromVersion: '1', toVersion: '2', state: 'WAITING', applied: false, dropped: [], unreachable: [] });
    expect(plan.steps).toEqual([
      { from: 'a', to: 'a', status: 'COMPLETED', open: false },
      { from: 'w', to: 'w', status: 'WAITING', open: true },
    ]);
    expect(await snapshot(engine, id)).toEqual(before);

    const applied = await engine.migrateInstance(id, { toVersion: '2', by: 'alice' });
    expect(applied).toEqual({ ...plan, applied: true });
    const after = await snapshot(engine, id);
    expect(after).toEqual({ version: before.version + 1, history: before.history + 1, definitionVersion: '2' });
    const migrated = (await engine.getHistory(id)).at(-1)!;
    expect(migrated).toMatchObject({ type: 'instance.migrated', data: { from: '1', to: '2', stepMap: {}, by: 'alice' } });

    await engine.signal(id, 'go');
    const done = await engine.waitFor(id);
    expect(done.state).toBe('COMPLETED');
    expect(Object.keys(done.steps).sort()).toEqual(['a', 'c', 'w']);
    expect(types(await engine.getHistory(id))).toContain('step.completed:c');
    await engine.close();
  });

  it('refuses what it cannot do and changes nothing', async () => {
    const v3: WorkflowDefinitionInput = { name: 'order', version: '3', steps: { a: { action: 'ok' }, z: { action: 'ok' } }, transitions: [{ from: 'a', to: 'z' }] };
    const v4: WorkflowDefinitionInput = { ...v1, version: '4', steps: { ...v1.steps, w: { action: 'wait_go', async: true } } };
    const { engine } = engineWith(v1, v3, v4);
    const { id } = await engine.start('order', {}, { version: '1' });
    await engine.waitFor(id);
    const before = await snapshot(engine, id);
    const refusals: Array<[() => Promise<unknown>, string, RegExp]> = [
      [() => engine.migrateInstance(id, { toVersion: '9' }), 'WF_DEFINITION_NOT_FOUND', /order@9/],
      [() => engine.migrateInstance(id, { toVersion: '3' }), 'WF_INPUT_INVALID', /step "w" is WAITING and order@3 has no step "w": place it with stepMap/],
      [() => engine.migrateInstance(id, { toVersion: '3', stepMap: { nope: 'z', w: 'missing' } }), 'WF_INPUT_INVALID', /stepMap names step "nope".*stepMap sends "w" to "missing"/],
      [() => engine.migrateInstance(id, { toVersion: '3', stepMap: { w: 'a' } }), 'WF_INPUT_INVALID', /steps "a" and "w" would both become "a"/],
      [() => engine.migrateInstance(id, { toVersion: '4' }), 'WF_INPUT_INVALID', /step "w" is blocking but "w" of 4 is async/],
      [() => engine.migrateInstance(id, { toVersion: '1' }), 'WF_INPUT_INVALID', /already runs on order@1/],
      [() => engine.migrateInstance(id, { toVersion: '' }), 'WF_INPUT_INVALID', /toVersion must be a non-empty string/],
    ];
    for (const [attempt, code, message] of refusals) await expect(attempt()).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await snapshot(engine, id)).toEqual(before);

    await engine.signal(id, 'go');
    await engine.waitFor(id);
    const ended = await snapshot(engine, id);
    await expect(engine.migrateInstance(id, { toVersion: '3' })).rejects.toMatchObject({ code: 'WF_ILLEGAL_TRANSITION', message: expect.stringContaining('only unfinished instances can be migrated') });
    expect(await snapshot(engine, id)).toEqual(ended);
    await engine.close();
  });

  it('renames steps with stepMap: an open human task, its id and its due timer move with the step', async () => {
    const h1: WorkflowDefinitionInput = {
      name: 'hr',
      version: '1',
      steps: { w: { action: 'wait_go' }, t: { action: 'ok', assigned_to: 'managers', timeout: '1d' }, done: { action: 'ok' } },
      parallel_groups: {},
      transitions: [
        { from: 'w', to: 't' },
        { from: 't', to: 'done' },
      ],
    };
    const h2: WorkflowDefinitionInput = {
      ...h1,
      version: '2',
      steps: { w: { action: 'wait_go' }, approve: { action: 'ok', assigned_to: 'managers', timeout: '1d' }, finish: { action: 'ok' } },
      transitions: [
        { from: 'w', to: 'approve' },
        { from: 'approve', to: 'finish' },
      ],
    };
    const { engine } = engineWith(h1, h2);
    const { id } = await engine.start('hr', {}, { version: '1' });
    await engine.waitFor(id);
    await engine.signal(id, 'go');
    await engine.idle();
    const [task] = await engine.listTasks({ instanceId: id });
    expect(task!.id).toBe(`${id}.t.1`);

    const plan = await engine.migrateInstance(id, { toVersion: '2', stepMap: { t: 'approve' }, by: 'ops' });
    expect(plan.tasks).toEqual([{ from: `${id}.t.1`, to: `${id}.approve.1` }]);
    expect(plan.timers).toEqual([{ from: 'task/t', to: 'task/approve', kind: 'task_due', fireAt: expect.any(Number) }]);
    expect((await engine.getHistory(id)).at(-1)!.data).toEqual({ from: '1', to: '2', stepMap: { t: 'approve' }, by: 'ops' });
    await expect(engine.completeTask(`${id}.t.1`, {}, 'mia')).rejects.toMatchObject({ code: 'WF_NOT_FOUND' });
    await engine.completeTask(`${id}.approve.1`, { approved: true }, 'mia');
    const done = await engine.waitFor(id);
    expect(done).toMatchObject({ state: 'COMPLETED', definitionVersion: '2', data: { approved: true } });
    expect(Object.keys(done.steps).sort()).toEqual(['approve', 'finish', 'w']);
    await engine.close();
  });
});

describe('WorkflowEngine: migrating while an attempt runs', () => {
  /** s is slow (released by the test) and counts its runs; then n. */
  function slowEngine(v2Steps: Record<string, string>) {
    const { engine } = setup();
    let release!: () => void;
    let calls = 0;
    engine.registerAction('slow', () => {
      calls += 1;
      return new Promise((r) => (release = () => r(ActionResult.success({ slow: 'done' }))));
    });
    engine.registerAction('ok', ok);
    const [first, next] = [v2Steps.s ?? 's', v2Steps.n ?? 'n'];
    engine.registerDefinition({ name: 'race', version: '1', steps: { s: { action: 'slow' }, n: { action: 'ok' } }, transitions: [{ from: 's', to: 'n' }] });
    engine.registerDefinition({ name: 'race', version: '2', steps: { [first]: { action: 'slow' }, [next]: { action: 'ok' } }, transitions: [{ from: first, to: next }] });
    return { engine, release: () => release(), calls: () => calls };
  }

  it.each<{ case: string; stepMap: Record<string, string>; v2: Record<string, string>; step: string; next: string }>([
    { case: 'the step keeps its id: its late result is recorded normally', stepMap: {}, v2: {}, step: 's', next: 'n' },
    { case: 'the step was renamed: its late result reaches the renamed step, which is not run again', stepMap: { s: 's2' }, v2: { s: 's2' }, step: 's2', next: 'n' },
  ])('$case', async ({ stepMap, v2: steps, step, next }) => {
    const { engine, release, calls } = slowEngine(steps);
    const { id } = await engine.start('race', {}, { version: '1' });
    await tick();
    expect(calls()).toBe(1);
    await engine.migrateInstance(id, { toVersion: '2', stepMap });
    await tick();
    release();
    const done = await engine.waitFor(id);
    expect(done).toMatchObject({ state: 'COMPLETED', definitionVersion: '2', data: { slow: 'done' } });
    expect(calls()).toBe(1);
    const history = types(await engine.getHistory(id));
    expect(history.filter((t) => t.startsWith('step.completed'))).toEqual([`step.completed:${step}`, `step.completed:${next}`]);
    await engine.close();
  });
});

describe('WorkflowEngine: migrating while an attempt runs on another engine (decided by compare-and-swap)', () => {
  it.each([
    { case: 'kept id: the worker\'s late result is recorded on the migrated instance', stepMap: {} as Record<string, string>, first: 's', data: { by: 'worker' } },
    { case: 'renamed: the renamed step runs on the migrating engine; the worker\'s late result is a stale duplicate', stepMap: { s: 's2' }, first: 's2', data: { by: 'ops' } },
  ])('$case', async ({ stepMap, first, data }) => {
    const { engine: worker, storage, clock } = setup();
    let release!: () => void;
    worker.registerAction('slow', () => new Promise((r) => (release = () => r(ActionResult.success({ by: 'worker' })))));
    worker.registerAction('ok', ok);
    const race1: WorkflowDefinitionInput = { name: 'race', version: '1', steps: { s: { action: 'slow' }, n: { action: 'ok' } }, transitions: [{ from: 's', to: 'n' }] };
    const race2: WorkflowDefinitionInput = { name: 'race', version: '2', steps: { [first]: { action: 'slow' }, n2: { action: 'ok' } }, transitions: [{ from: first, to: 'n2' }] };
    worker.registerDefinition(race1);
    // Deployed (stored): the operator's engine, which never registered either version, loads both from the store.
    await worker.deployDefinition(race2);
    const { id } = await worker.start('race', {}, { version: '1' });
    await tick();
    const { engine: ops } = setup({ storage, clock, recover: false, actions: { slow: () => ActionResult.success({ by: 'ops' }), ok } });
    await ops.ready;
    await ops.migrateInstance(id, { toVersion: '2', stepMap, by: 'ops' });
    await ops.idle();
    release();
    await worker.idle();
    const done = await ops.waitFor(id);
    expect(done).toMatchObject({ state: 'COMPLETED', definitionVersion: '2', data });
    const completed = types(await ops.getHistory(id)).filter((t) => t.startsWith('step.completed'));
    expect(completed).toEqual([`step.completed:${first}`, 'step.completed:n2']);
    await ops.close();
    await worker.close();
  });
});

describe('WorkflowEngine: migrating every instance of a version', () => {
  it('migrates 250 waiting instances page by page after a dry run, resumes from a cursor, and passes over other versions', async () => {
    const { engine, clock } = engineWith(v1, v2);
    const ids: string[] = [];
    // One on version 2 first: it is on the first page, passed over.
    const onV2 = (await engine.start('order', {}, { version: '2' })).id;
    for (let i = 0; i < 250; i++) {
      await clock.advance(1);
      ids.push((await engine.start('order', { i }, { version: '1' })).id);
    }
    await engine.idle();
    const onV2Version = (await engine.getInstance(onV2)).version;

    const dry = await engine.migrateInstances('order', '1', { toVersion: '2', dryRun: true, limit: 100 });
    expect(dry).toMatchObject({ scanned: 100, refused: [] });
    expect(dry.migrated).toHaveLength(99);
    expect(dry.migrated.every((p) => !p.applied)).toBe(true);
    expect((await engine.getInstance(ids[0]!)).definitionVersion).toBe('1');

    const first = await engine.migrateInstances('order', '1', { toVersion: '2', limit: 100, by: 'ops' });
    expect(first).toMatchObject({ scanned: 100, refused: [], nextCursor: expect.any(String) });
    expect(first.migrated.map((p) => p.instanceId)).toEqual(ids.slice(0, 99));
    expect(first.migrated.every((p) => p.applied)).toBe(true);
    // Resumed midway (as after a crash): from the cursor, then from the start again.
    const second = await engine.migrateInstances('order', '1', { toVersion: '2', limit: 100, cursor: first.nextCursor! });
    expect(second.migrated.map((p) => p.instanceId)).toEqual(ids.slice(99, 199));
    const again = await engine.migrateInstances('order', '1', { toVersion: '2', limit: 199 });
    expect(again.migrated).toEqual([]);
    const last = await engine.migrateInstances('order', '1', { toVersion: '2', limit: 200, cursor: again.nextCursor! });
    expect(last.migrated.map((p) => p.instanceId)).toEqual(ids.slice(199));
    expect(last.nextCursor).toBeUndefined();

    const page = await engine.listInstances({ definitionName: 'order', limit: 1000 });
    expect(page.items.every((i) => i.definitionVersion === '2')).toBe(true);
    expect((await engine.getInstance(onV2)).version).toBe(onV2Version);
    // And they go on on version 2's path.
    await engine.signal(ids[0]!, 'go');
    expect(Object.keys((await engine.waitFor(ids[0]!)).steps).sort()).toEqual(['a', 'c', 'w']);
    await engine.close();
  });

  it('collects refusals and goes on', async () => {
    const v3: WorkflowDefinitionInput = { name: 'order', version: '3', steps: { a: { action: 'ok' }, z: { action: 'ok' } }, transitions: [{ from: 'a', to: 'z' }] };
    const { engine } = engineWith(v1, v3);
    const a = (await engine.start('order', {}, { version: '1' })).id;
    await engine.waitFor(a);
    const page = await engine.migrateInstances('order', '1', { toVersion: '3' });
    expect(page.migrated).toEqual([]);
    expect(page.refused).toEqual([{ instanceId: a, code: 'WF_INPUT_INVALID', message: expect.stringContaining('place it with stepMap') }]);
    await expect(engine.migrateInstances('order', '1', { toVersion: '7' })).rejects.toMatchObject({ code: 'WF_DEFINITION_NOT_FOUND' });
    await engine.close();
  });
});
