import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ActionResult, FileStorage, WorkflowEngine, type InstanceRecord } from '@workflow-mastery/core';
import { WorkflowAction, WorkflowModule, WorkflowService } from '../src/index.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('shutdown', () => {
  it('closes the engine on app.close(): no new starts, storage released', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'wm-nest-close-'));
    dirs.push(directory);
    const app = await Test.createTestingModule({ imports: [WorkflowModule.forRoot({ storage: { type: 'file', directory, fsync: false } })] }).compile();
    await app.init();
    const engine = app.get(WorkflowEngine);
    await app.close();
    await expect(engine.start({ name: 'x', steps: { a: { action: 'a' } } })).rejects.toMatchObject({ code: 'WF_ENGINE_CLOSED' });
    // The directory lock is released: another storage can open it.
    const again = new FileStorage({ directory, fsync: false });
    await again.init();
    await again.close();
  });

  it('lets a running step finish and records it before closing', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'wm-nest-drain-'));
    dirs.push(directory);
    let release!: () => void;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));

    @WorkflowAction('slow')
    @Injectable()
    class SlowAction {
      async execute() {
        started();
        await new Promise<void>((resolve) => (release = resolve));
        return ActionResult.success({ finished: true });
      }
    }
    const definition = { name: 'slow', steps: { only: { action: 'slow' } } };
    const options = { storage: { type: 'file' as const, directory, fsync: false }, definitions: [definition] };
    const app = await Test.createTestingModule({ imports: [WorkflowModule.forRoot(options)], providers: [SlowAction] }).compile();
    await app.init();
    const inst = await app.get(WorkflowService).start('slow', {});
    await running;
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(closed).toBe(false);
    release();
    await closing;

    const storage = new FileStorage({ directory, fsync: false });
    await storage.init();
    const stored = (await storage.getInstance(inst.id)) as InstanceRecord;
    await storage.close();
    expect(stored).toMatchObject({ state: 'COMPLETED', data: { finished: true } });
  });
});
