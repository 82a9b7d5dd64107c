/**
 * Encryption at rest for every command: `WORKFLOW_ENCRYPTION_KEYS` (`id:key` pairs, comma-separated;
 * each key 32 bytes as 64 hex characters or base64) and `WORKFLOW_ENCRYPTION_KEY_ID` (the id new
 * values are encrypted with; optional with one key). Read from the environment only, never from
 * arguments, so keys stay out of shell history and process lists.
 */
import { EncryptedStorage, type EncryptedStorageOptions, type StorageAdapter } from '@workflow-mastery/core';
import { UsageError } from './cli-error.js';

/** The variable holding the keys. */
export const KEYS_VARIABLE = 'WORKFLOW_ENCRYPTION_KEYS';
/** The variable naming the current key. */
export const KEY_ID_VARIABLE = 'WORKFLOW_ENCRYPTION_KEY_ID';

/**
 * The EncryptedStorage options the environment gives, or undefined when no keys are set.
 * @throws UsageError naming the variable and the expected form.
 */
export function encryptionFromEnv(env: NodeJS.ProcessEnv): EncryptedStorageOptions | undefined {
  const text = env[KEYS_VARIABLE]?.trim();
  if (!text) {
    if (env[KEY_ID_VARIABLE]) throw new UsageError(`${KEY_ID_VARIABLE} is set but ${KEYS_VARIABLE} is not: set ${KEYS_VARIABLE}=ID:KEY[,ID:KEY...]`);
    return undefined;
  }
  const keys: Record<string, string> = {};
  for (const entry of text.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const colon = entry.indexOf(':');
    if (colon <= 0 || colon === entry.length - 1) {
      throw new UsageError(`${KEYS_VARIABLE} must be ID:KEY pairs separated by commas (e.g. 2025-01:<64 hex chars>,2025-07:<base64>); an entry has no "ID:" or no key`);
    }
    const id = entry.slice(0, colon).trim();
    if (id in keys) throw new UsageError(`${KEYS_VARIABLE} names key id "${id}" twice`);
    keys[id] = entry.slice(colon + 1).trim();
  }
  const ids = Object.keys(keys);
  const currentKeyId = env[KEY_ID_VARIABLE]?.trim() || (ids.length === 1 ? ids[0]! : undefined);
  if (currentKeyId === undefined) {
    throw new UsageError(`${KEYS_VARIABLE} holds ${ids.length} keys (${ids.join(', ')}): set ${KEY_ID_VARIABLE} to the one new values are encrypted with`);
  }
  if (!(currentKeyId in keys)) throw new UsageError(`${KEY_ID_VARIABLE} is "${currentKeyId}", which is not in ${KEYS_VARIABLE} (${ids.join(', ')})`);
  return { keys, currentKeyId };
}

/** `storage` wrapped in an EncryptedStorage when the environment sets keys. @throws as {@link encryptionFromEnv} and the EncryptedStorage constructor. */
export function withEncryption(storage: StorageAdapter, env: NodeJS.ProcessEnv): StorageAdapter {
  const options = encryptionFromEnv(env);
  return options ? new EncryptedStorage(storage, options) : storage;
}

/** The storage under an EncryptedStorage (for commands about the database itself, such as `migrate`). */
export function unwrapEncryption(storage: StorageAdapter): StorageAdapter {
  return storage instanceof EncryptedStorage ? storage.inner : storage;
}
