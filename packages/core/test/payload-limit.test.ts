/** The payload-limit contract on the memory and file storages. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from '@jest/globals';
import { FileStorage } from '../src/storage/file-storage.js';
import { MemoryStorage } from '../src/storage/memory-storage.js';
import { runPayloadLimitContract } from '../src/testing/payload-limit-contract.js';

const root = mkdtempSync(path.join(tmpdir(), 'wm-payload-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

runPayloadLimitContract('memory', (limit) => new MemoryStorage({ maxPayloadBytes: limit }));
runPayloadLimitContract('file', (limit) => new FileStorage({ directory: path.join(root, `s${n++}`), fsync: false, maxPayloadBytes: limit }));
