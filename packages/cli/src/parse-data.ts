/** `--data JSON` or `--data @file.json`: a JSON object for start data, signals and tasks. */
import path from 'node:path';
import type { JsonObject } from '@workflow-mastery/core';
import { UsageError } from './cli-error.js';
import { badDataMessage } from './cli.messages.js';
import { readFileOrFail } from './definition-file.js';

/**
 * Parse `value` (`undefined` gives `{}`); `@path` reads the file relative to `cwd`. `option` names
 * it in errors. @defaultValue `--data`
 */
export async function parseData(value: string | undefined, cwd: string = process.cwd(), option = '--data'): Promise<JsonObject> {
  if (value === undefined) return {};
  const fromFile = value.startsWith('@');
  const text = fromFile ? await readFileOrFail(path.resolve(cwd, value.slice(1))) : value;
  const source = fromFile ? value : 'value';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(badDataMessage(source, (error as Error).message, option));
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(badDataMessage(source, `got ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed}; write an object such as '{"order":{"id":1}}'`, option));
  }
  return parsed as JsonObject;
}
