import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { hasBody, isJsonContentType, readJsonBody, type BodyRequest } from './workflow-request-body.js';

/** An unread request stream with `headers`. */
function rawRequest(body: string, headers: Record<string, string>): BodyRequest {
  return Object.assign(Readable.from([Buffer.from(body)]), { headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } }) as unknown as BodyRequest;
}

describe('request bodies', () => {
  it('knows JSON content types and when a body is there', () => {
    expect(['application/json', 'application/json; charset=utf-8', 'application/merge-patch+json'].map(isJsonContentType)).toEqual([true, true, true]);
    expect(['text/plain', 'application/x-www-form-urlencoded', undefined].map(isJsonContentType)).toEqual([false, false, false]);
    expect(hasBody({ headers: { 'content-length': '0' } })).toBe(false);
    expect(hasBody({ headers: {} })).toBe(false);
    expect(hasBody({ headers: { 'transfer-encoding': 'chunked' } })).toBe(true);
  });

  it("uses the app parser's body when there is one, else reads and parses the stream", async () => {
    expect(await readJsonBody({ headers: { 'content-length': '7', 'content-type': 'application/json' }, body: { a: 1 } }, 100)).toEqual({ a: 1 });
    expect(await readJsonBody(rawRequest('{"a":2}', { 'content-type': 'application/json' }), 100)).toEqual({ a: 2 });
    expect(await readJsonBody(rawRequest('  ', { 'content-type': 'application/json' }), 100)).toBeUndefined();
    expect(await readJsonBody({ headers: {} }, 100)).toBeUndefined();
  });

  it('answers 415, 400 and 413 as API errors', async () => {
    await expect(readJsonBody(rawRequest('a=1', { 'content-type': 'text/plain' }), 100)).rejects.toMatchObject({ code: 'WF_UNSUPPORTED_MEDIA_TYPE' });
    await expect(readJsonBody(rawRequest('{"a":', { 'content-type': 'application/json' }), 100)).rejects.toMatchObject({ code: 'WF_BAD_JSON' });
    await expect(readJsonBody(rawRequest(JSON.stringify({ a: 'x'.repeat(200) }), { 'content-type': 'application/json' }), 100)).rejects.toMatchObject({ code: 'WF_PAYLOAD_TOO_LARGE' });
  });
});
