import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkflowNotification } from './notifier.types.js';
import { WebhookChannel, WebhookDeliveryError } from './webhook-channel.js';

interface Received {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const servers: Server[] = [];

/** A real HTTP server on 127.0.0.1; `reply` answers the n-th request (1-based), or leaves it hanging. */
async function serve(reply: (res: ServerResponse, n: number) => void): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      reply(res, received.length);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/wf`, received };
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

const notification: WorkflowNotification = {
  kind: 'workflow.failed',
  workflowId: 'wf-1',
  definitionName: 'order_processing',
  definitionVersion: '1.0.0',
  state: 'FAILED',
  error: { message: 'card declined', code: 'PaymentError', stepId: 'charge' },
  compensation: { status: 'COMPLETED', failed: [] },
  at: '2025-01-01T00:00:00.000Z',
  channel: 'webhook',
};
const signal = () => new AbortController().signal;
const status = (code: number, body = '') => (res: ServerResponse) => res.writeHead(code).end(body);

describe('WebhookChannel', () => {
  it('POSTs the notification as JSON with the given headers', async () => {
    const server = await serve(status(204));
    const channel = new WebhookChannel({ url: server.url, headers: { Authorization: 'Bearer t0k' } });
    expect(channel.name).toBe('webhook');
    await channel.send(notification, signal());
    expect(server.received).toHaveLength(1);
    const [req] = server.received;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe('/hooks/wf');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['authorization']).toBe('Bearer t0k');
    expect(JSON.parse(req!.body)).toEqual(notification);
  });

  it('retries after 503 and 429, then succeeds', async () => {
    const server = await serve((res, n) => res.writeHead(n === 1 ? 503 : n === 2 ? 429 : 200).end());
    await new WebhookChannel({ url: server.url, retryDelayMs: 5 }).send(notification, signal());
    expect(server.received).toHaveLength(3);
  });

  it('gives up after its retries with an error naming the url, status and tries', async () => {
    const server = await serve(status(500, 'db down'));
    const channel = new WebhookChannel({ name: 'ops', url: server.url, retries: 2, retryDelayMs: 5 });
    const error = await channel.send(notification, signal()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookDeliveryError);
    expect((error as Error).message).toBe(`webhook "ops" POST ${server.url} failed after 3 tries; last try: status 500 (db down)`);
    expect(error).toMatchObject({ status: 500, tries: 3, url: server.url });
    expect(server.received).toHaveLength(3);
  });

  it('does not retry a 400', async () => {
    const server = await serve(status(400, 'bad payload'));
    const error = await new WebhookChannel({ url: server.url, retryDelayMs: 5 }).send(notification, signal()).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/failed after 1 try: status 400 \(bad payload\), not retried/);
    expect(server.received).toHaveLength(1);
  });

  it('times out a server that never answers, and retries', async () => {
    const server = await serve(() => {});
    const started = Date.now();
    const error = await new WebhookChannel({ url: server.url, timeoutMs: 80, retries: 1, retryDelayMs: 5 })
      .send(notification, signal())
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/failed after 2 tries; last try: no response \(timed out after 80ms\)/);
    expect((error as WebhookDeliveryError).status).toBeUndefined();
    expect(server.received).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('retries when nothing listens (network error)', async () => {
    const server = await serve(status(200));
    const url = server.url;
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    const error = await new WebhookChannel({ url, retries: 1, retryDelayMs: 5 }).send(notification, signal()).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/failed after 2 tries; last try: no response \(.+\)/);
  });

  it("stops when the caller's signal aborts", async () => {
    const server = await serve(() => {});
    const controller = new AbortController();
    const sending = new WebhookChannel({ url: server.url, timeoutMs: 5000 }).send(notification, controller.signal);
    setTimeout(() => controller.abort(new Error('engine closing')), 30);
    await expect(sending).rejects.toThrow('engine closing');
    expect(server.received).toHaveLength(1);
  });

  it('validates its options at construction', () => {
    expect(() => new WebhookChannel({ url: 'not a url' })).toThrow(/WebhookChannel: url must be an absolute http\(s\) URL/);
    expect(() => new WebhookChannel({ url: 'ftp://example.com/x' })).toThrow(/url must be/);
    expect(() => new WebhookChannel({ url: 'https://example.com', timeoutMs: 0 })).toThrow(/timeoutMs must be an integer >= 1, got 0/);
    expect(() => new WebhookChannel({ url: 'https://example.com', retries: -1 })).toThrow(/retries must be/);
  });

  it('sends URL credentials as Basic auth and keeps them and the query out of error messages', async () => {
    const server = await serve(status(400));
    const secretUrl = server.url.replace('http://', 'http://user:pw@') + '?token=s3cret';
    const error = await new WebhookChannel({ url: secretUrl }).send(notification, signal()).catch((e: unknown) => e);
    expect((error as Error).message).toContain(`${server.url}?…`);
    expect((error as Error).message).not.toMatch(/s3cret|pw@/);
    expect(server.received[0]!.headers['authorization']).toBe(`Basic ${Buffer.from('user:pw').toString('base64')}`);
    expect(server.received[0]!.url).toBe('/hooks/wf?token=s3cret');
  });
});
