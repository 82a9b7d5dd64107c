/** A supertest client of a Nest app, shaped as core's HTTP contract wants it. */
import type { INestApplication } from '@nestjs/common';
import type { HttpContractClient, HttpContractRequestOptions, HttpContractResponse } from '@workflow-mastery/core/testing';
import request from 'supertest';

/** Requests go to `mount` + path on the app's HTTP server; `close()` closes the app. */
export function nestClient(app: INestApplication, mount: string): HttpContractClient {
  return {
    async request(method: string, path: string, options: HttpContractRequestOptions = {}): Promise<HttpContractResponse> {
      const agent = request(app.getHttpServer());
      let req = agent[method.toLowerCase() as 'get' | 'post' | 'patch'](`${mount}${path}`);
      const headers = { ...(options.headers ?? {}) };
      if (options.rawBody !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
      for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
      const res = options.rawBody !== undefined ? await req.send(options.rawBody) : options.body !== undefined ? await req.send(options.body as object) : await req;
      const json = String(res.headers['content-type'] ?? '').includes('json');
      return { status: res.status, body: json ? res.body : res.text, headers: res.headers as Record<string, string | string[] | undefined> };
    },
    close: () => app.close(),
  };
}
