/** The dashboard's browser files, read once into memory with their content type and ETag. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { contentTypeOf } from './content-types.js';
import { assetsMissingMessage } from './dashboard.messages.js';

/** One file ready to send. */
export interface AssetFile {
  body: Buffer;
  contentType: string;
  /** Strong ETag of the content. */
  etag: string;
}

async function walk(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = await Promise.all(
    entries.map((entry) => {
      const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) return walk(path.join(dir, entry.name), rel);
      return Promise.resolve(entry.isFile() ? [rel] : []);
    }),
  );
  return files.flat();
}

/**
 * Every servable file under `dir` by its `/`-separated relative path (`pages/tasks.js`). Only
 * files of a known content type are kept; lookups are by exact key, so no request path can reach
 * anything outside the folder.
 */
export async function loadAssetFiles(dir: string): Promise<Map<string, AssetFile>> {
  if (!existsSync(path.join(dir, 'index.html'))) throw new Error(assetsMissingMessage(dir));
  const files = new Map<string, AssetFile>();
  for (const rel of await walk(dir)) {
    const contentType = contentTypeOf(rel);
    if (!contentType) continue;
    const body = await readFile(path.join(dir, rel));
    files.set(rel, { body, contentType, etag: etagOf(body) });
  }
  return files;
}

/** A strong ETag of `body`. */
export function etagOf(body: Buffer | string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}
