/** `storage: { type: 'redis' }` against a real redis-server, started for this suite on a free port. */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { WorkflowEngine } from '@workflow-mastery/core';
import { WorkflowModule, WorkflowService } from '../src/index.js';
import { orderProviders, orderWorkflow } from './fixtures.js';

let server: ChildProcess | undefined;
let url = '';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start within 5 s')), 5000);
    server!.once('error', reject);
    server!.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
});

afterAll(async () => {
  if (server?.pid !== undefined && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
});

describe("storage: { type: 'redis' }", () => {
  it('loads RedisStorage on demand and runs workflows on it', async () => {
    const app = await Test.createTestingModule({
      imports: [WorkflowModule.forRoot({ storage: { type: 'redis', url, keyPrefix: 'nest-test:' }, definitions: [orderWorkflow] })],
      providers: orderProviders,
    }).compile();
    await app.init();
    try {
      const engine = app.get(WorkflowEngine);
      expect(engine.storage.constructor.name).toBe('RedisStorage');
      const workflows = app.get(WorkflowService);
      const inst = await workflows.start('order', { order: { total: 7 } });
      expect((await workflows.waitFor(inst.id, { until: 'terminal' })).state).toBe('COMPLETED');
    } finally {
      await app.close();
    }
  });
});
