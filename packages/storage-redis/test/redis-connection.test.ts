import net from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { StorageCorruptError, WorkflowError } from '@workflow-mastery/core';
import { makeCreate, nextCommit } from '@workflow-mastery/core/testing';
import { Redis } from 'ioredis';
import { RedisStorage } from '../src/index.js';
import { cleanUpAfterAll, describeWithRedis, REDIS_URL, redisReachable, testPrefixes } from './redis-test-env.js';

const reachable = await redisReachable();
const prefixes = testPrefixes();
cleanUpAfterAll(prefixes.suite, reachable);

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP proxy to the test Redis that can be stopped (an outage) and started again on its port. */
class RedisProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  async start(): Promise<void> {
    const target = new URL(REDIS_URL);
    this.server = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 6379), target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          this.sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

describe('RedisStorage without Redis', () => {
  it('init() fails quickly with an error naming the url and how to start Redis', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    const storage = new RedisStorage({ url });
    const started = Date.now();
    const error = await storage.init().then(() => undefined, (e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error).toMatchObject({ code: 'WF_STORAGE_UNAVAILABLE', details: { url } });
    expect((error as Error).message).toContain(url);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect((error as Error).message).toMatch(/redis-server/);
    // The other methods report the same, and close() still works.
    await expect(storage.getInstance('x')).rejects.toMatchObject({ code: 'WF_STORAGE_UNAVAILABLE' });
    await storage.close();
    await expect(storage.getInstance('x')).rejects.toMatchObject({ code: 'WF_ENGINE_CLOSED' });
  });

  it('hides the password of the url in messages', async () => {
    const storage = new RedisStorage({ url: `redis://user:s3cret@127.0.0.1:${await closedPort()}` });
    const error = (await storage.init().catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('user:***@');
    expect(error.message).not.toContain('s3cret');
    await storage.close();
  });

  it('rejects both `redis` and `url`', () => {
    const client = new Redis({ lazyConnect: true });
    expect(() => new RedisStorage({ redis: client, url: 'redis://x' })).toThrow(/either/);
    client.disconnect();
  });
});

describeWithRedis('RedisStorage connection', reachable, () => {
  it('rejects operations while Redis is down and recovers when it is back', async () => {
    const proxy = new RedisProxy();
    await proxy.start();
    const storage = new RedisStorage({ url: `redis://127.0.0.1:${proxy.port}`, keyPrefix: prefixes.next() });
    try {
      await storage.init();
      const { instance, events } = makeCreate({ state: 'RUNNING' });
      await storage.createInstance(instance, events);

      await proxy.stop();
      const commit = nextCommit(instance, { data: { during: 'outage' } });
      const error = await storage.commit(commit).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowError);
      expect(error).toMatchObject({ code: 'WF_STORAGE_UNAVAILABLE' });
      expect((error as Error).message).toContain(`127.0.0.1:${proxy.port}`);

      await proxy.start();
      const deadline = Date.now() + 8000;
      for (;;) {
        try {
          await storage.commit(commit);
          break;
        } catch (e) {
          if (Date.now() > deadline) throw e;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      expect(await storage.getInstance(instance.id)).toEqual(JSON.parse(JSON.stringify(commit.instance)));
    } finally {
      await storage.close();
      await proxy.stop();
    }
  });

  it('uses a client it is given and leaves it open', async () => {
    const client = new Redis(REDIS_URL);
    try {
      const storage = new RedisStorage({ redis: client, keyPrefix: prefixes.next() });
      await storage.init();
      const { instance, events } = makeCreate();
      await storage.createInstance(instance, events, 'k');
      await storage.close();
      expect(client.status).toBe('ready');
      const again = new RedisStorage({ redis: client, keyPrefix: storage.keyPrefix });
      expect((await again.findByIdempotencyKey('k'))?.id).toBe(instance.id);
      await again.close();
    } finally {
      client.disconnect();
    }
  });

  it('reports corrupted JSON as StorageCorruptError naming the key', async () => {
    const storage = new RedisStorage({ url: REDIS_URL, keyPrefix: prefixes.next() });
    const client = new Redis(REDIS_URL);
    try {
      const { instance, events } = makeCreate({}, 2);
      await storage.createInstance(instance, events);
      const recordKey = `${storage.keyPrefix}i:${instance.id}`;
      const historyKey = `${storage.keyPrefix}h:${instance.id}`;
      await client.hset(recordKey, 'rec', '{"id": broken');
      await client.lset(historyKey, 1, 'not json');

      const error = await storage.getInstance(instance.id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageCorruptError);
      expect((error as Error).message).toContain(recordKey);
      await expect(storage.listInstances()).rejects.toThrow(recordKey);
      const historyError = await storage.getHistory(instance.id).catch((e: unknown) => e);
      expect(historyError).toBeInstanceOf(StorageCorruptError);
      expect((historyError as Error).message).toContain(historyKey);
      expect(await storage.getHistory(instance.id, 2)).toEqual([]);
    } finally {
      await storage.close();
      client.disconnect();
    }
  });
});
