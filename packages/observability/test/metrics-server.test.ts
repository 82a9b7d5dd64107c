import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { startMetricsServer, type MetricsServer } from '../src/index.js';

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const source = { contentType: 'text/plain; version=0.0.4; charset=utf-8', metrics: async () => 'workflow_queue_depth 3\n' };

async function start(options: Partial<Parameters<typeof startMetricsServer>[0]> = {}): Promise<MetricsServer> {
  const server = await startMetricsServer({ port: 0, host: '127.0.0.1', metrics: source, ...options });
  servers.push(server);
  return server;
}

describe('startMetricsServer', () => {
  it('serves /metrics, /health and an always-ready /ready without checks', async () => {
    const server = await start();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const metrics = await fetch(`${server.url}/metrics`);
    expect([metrics.status, metrics.headers.get('content-type'), await metrics.text()]).toEqual([200, source.contentType, 'workflow_queue_depth 3\n']);
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${server.url}/ready/`)).json()).toEqual({ status: 'ok', checks: [] });
  });

  it('answers /ready 503 naming the failing check, and 200 once it recovers', async () => {
    let redisUp = false;
    const server = await start({
      readiness: [{ name: 'storage', check: async () => undefined }],
      health: [{ name: 'redis', check: async () => { if (!redisUp) throw new Error('connect ECONNREFUSED 127.0.0.1:6379'); } }],
      checkTimeoutMs: 200,
    });
    const down = await fetch(`${server.url}/ready`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      error: {
        code: 'WF_UNAVAILABLE',
        message: 'Not ready: check "redis" failed: connect ECONNREFUSED 127.0.0.1:6379',
        details: { checks: [expect.objectContaining({ name: 'storage', status: 'ok' }), expect.objectContaining({ name: 'redis', status: 'failed', error: 'connect ECONNREFUSED 127.0.0.1:6379' })] },
      },
    });
    // Liveness does not depend on the checks.
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    redisUp = true;
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
  });

  it('answers 404 elsewhere, 405 to other methods, and 500 when collecting fails', async () => {
    const server = await start({ metrics: { contentType: 'text/plain', metrics: () => Promise.reject(new Error('collector broke')) } });
    const missing = await fetch(`${server.url}/nope`);
    expect([missing.status, ((await missing.json()) as { error: { message: string } }).error.message]).toEqual([404, 'No route /nope; this server answers /metrics, /health and /ready.']);
    const post = await fetch(`${server.url}/metrics`, { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    const broken = await fetch(`${server.url}/metrics`);
    expect([broken.status, await broken.json()]).toEqual([500, { error: { code: 'WF_INTERNAL', message: 'Collecting metrics failed: collector broke' } }]);
  });

  it('refuses bad options and rejects when the port is taken', async () => {
    await expect(startMetricsServer({ port: 0 } as never)).rejects.toThrow('startMetricsServer: pass `metrics`');
    await expect(startMetricsServer({ port: 70000, metrics: source })).rejects.toThrow('port must be an integer from 0 to 65535');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    await expect(startMetricsServer({ port, host: '127.0.0.1', metrics: source })).rejects.toThrow(/EADDRINUSE/);
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  });
});
