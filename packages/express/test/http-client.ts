/** A contract client over a real listening server, with Node's fetch. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpContractClient, HttpContractResponse } from '@workflow-mastery/core/testing';

/** Client of `server` (listening), for paths under `prefix`. */
export function fetchClient(server: Server, prefix = ''): HttpContractClient {
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}${prefix}`;
  return {
    async request(method, path, { body, rawBody, headers = {} } = {}): Promise<HttpContractResponse> {
      const init: RequestInit = { method, headers: { ...headers } };
      if (rawBody !== undefined) {
        init.body = rawBody;
        init.headers = { 'content-type': 'application/json', ...headers };
      } else if (body !== undefined) {
        init.body = JSON.stringify(body);
        init.headers = { 'content-type': 'application/json', ...headers };
      }
      const res = await fetch(base + path, init);
      const text = await res.text();
      const type = res.headers.get('content-type') ?? '';
      return {
        status: res.status,
        body: type.includes('json') && text !== '' ? JSON.parse(text) : text,
        headers: Object.fromEntries(res.headers.entries()),
      };
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Listen on a free port. */
export function listen(server: Server): Promise<Server> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
