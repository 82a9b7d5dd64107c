/**
 * One encrypted JSON value, stored in place of the value as a plain JSON object so that any
 * storage keeps it unchanged: `{ "$enc": "aes-256-gcm", "kid", "iv", "tag", "ct" }` (base64).
 * AES-256-GCM with a random 12-byte IV per value; the additional authenticated data names the
 * instance and the field, so a value copied to another instance or field does not decrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The only algorithm, and the envelope's `$enc` marker. */
export const ENCRYPTION_ALGORITHM = 'aes-256-gcm';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** An encrypted value as stored. */
export type EncryptedValue = {
  $enc: typeof ENCRYPTION_ALGORITHM;
  /** Id of the key it was encrypted with. */
  kid: string;
  iv: string;
  tag: string;
  ct: string;
};

/** True for anything stored as an envelope (valid or not: {@link openValue} checks the rest). */
export function isEncryptedValue(value: unknown): value is EncryptedValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && '$enc' in value;
}

/** Encrypts the JSON of `value` with `key` (named `kid`), bound to `aad`. */
export function sealValue(value: unknown, key: Buffer, kid: string, aad: string): EncryptedValue {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ENCRYPTION_ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return { $enc: ENCRYPTION_ALGORITHM, kid, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ct: ct.toString('base64') };
}

/**
 * Decrypts an envelope made by {@link sealValue} with the same key and `aad`.
 * @throws Error when the envelope is malformed or authentication fails (wrong key, altered value).
 */
export function openValue(envelope: EncryptedValue, key: Buffer, aad: string): unknown {
  const { $enc, iv, tag, ct } = envelope;
  if ($enc !== ENCRYPTION_ALGORITHM || typeof iv !== 'string' || typeof tag !== 'string' || typeof ct !== 'string') {
    throw new Error(`Malformed encrypted value: expected { $enc: "${ENCRYPTION_ALGORITHM}", kid, iv, tag, ct } as strings.`);
  }
  const ivBytes = Buffer.from(iv, 'base64');
  const tagBytes = Buffer.from(tag, 'base64');
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
    throw new Error(`Malformed encrypted value: iv must be ${IV_BYTES} bytes and tag ${TAG_BYTES}.`);
  }
  const decipher = createDecipheriv(ENCRYPTION_ALGORITHM, key, ivBytes, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(tagBytes);
  const plain = Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as unknown;
}
