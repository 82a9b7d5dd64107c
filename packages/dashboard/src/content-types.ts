/** Content types of the files the dashboard serves, by extension. */
import path from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** The content type of `file`; `undefined` for a type the dashboard does not serve. */
export function contentTypeOf(file: string): string | undefined {
  return TYPES[path.extname(file).toLowerCase()];
}
