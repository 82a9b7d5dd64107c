/** The keys of {@link EncryptedStorage}, validated and decoded once at construction. */
import { encryptionOptionsError } from './encryption-errors.js';

/** A 256-bit key: 32 bytes, or a string of them as 64 hex characters or base64. */
export type EncryptionKey = Buffer | Uint8Array | string;

/** Decoded keys by id, and the id new values are encrypted with. */
export interface Keyring {
  currentKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

const KEY_BYTES = 32;
const HOW = 'pass 32 random bytes as a Buffer, or as 64 hex characters or base64 (e.g. `crypto.randomBytes(32).toString(\'base64\')`)';

function decodeKey(id: string, value: unknown): Buffer {
  if (value instanceof Uint8Array) {
    if (value.length !== KEY_BYTES) throw encryptionOptionsError(`key "${id}" is ${value.length} bytes; AES-256 needs ${KEY_BYTES}: ${HOW}.`);
    return Buffer.from(value);
  }
  if (typeof value !== 'string') throw encryptionOptionsError(`key "${id}" is ${value === null ? 'null' : typeof value}: ${HOW}.`);
  const text = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length === KEY_BYTES) return bytes;
    throw encryptionOptionsError(`key "${id}" decodes (as base64) to ${bytes.length} bytes; AES-256 needs ${KEY_BYTES}: ${HOW}.`);
  }
  throw encryptionOptionsError(`key "${id}" is neither hex nor base64: ${HOW}.`);
}

/**
 * Validates and decodes the options.
 * @throws WorkflowError (WF_INPUT_INVALID) saying what to pass.
 */
export function parseKeyring(keys: unknown, currentKeyId: unknown): Keyring {
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys) || Object.keys(keys).length === 0) {
    throw encryptionOptionsError(`\`keys\` must map key ids to keys, e.g. { keys: { k1: process.env.WF_KEY_K1 }, currentKeyId: 'k1' }: ${HOW}.`);
  }
  const decoded = new Map<string, Buffer>();
  for (const [id, value] of Object.entries(keys)) {
    if (id === '') throw encryptionOptionsError('key ids must be non-empty strings such as "k1" or "2025-01".');
    decoded.set(id, decodeKey(id, value));
  }
  if (typeof currentKeyId !== 'string' || currentKeyId === '') {
    throw encryptionOptionsError(`\`currentKeyId\` must name the key new values are encrypted with, one of: ${[...decoded.keys()].map((k) => `"${k}"`).join(', ')}.`);
  }
  if (!decoded.has(currentKeyId)) {
    throw encryptionOptionsError(
      `\`currentKeyId\` "${currentKeyId}" is not in \`keys\` (${[...decoded.keys()].map((k) => `"${k}"`).join(', ')}); add that key or name one of these.`,
    );
  }
  return { currentKeyId, keys: decoded };
}
