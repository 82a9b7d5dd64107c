/** A contract client over a real listening server, with Node's `fetch`. */
import type { HttpContractClient, HttpContractResponse } from './http-contract-types.js';

/**
 * A client of the routes under `baseUrl` (e.g. `http://127.0.0.1:4321/api/workflow`): `body` is
 * sent as JSON, `rawBody` as is (`content-type: application/json` unless the headers give one);
 * a JSON answer is parsed, any other is text. `close` stops the server.
 */
export function fetchContractClient(baseUrl: string, close: () => Promise<void>): HttpContractClient {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async request(method, path, { body, rawBody, headers = {} } = {}): Promise<HttpContractResponse> {
      const init: RequestInit = { method, headers: { ...headers } };
      if (rawBody !== undefined || body !== undefined) {
        init.body = rawBody ?? JSON.stringify(body);
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
    close,
  };
}
