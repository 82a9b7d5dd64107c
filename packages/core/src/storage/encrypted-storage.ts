/**
 * Encryption at rest for any {@link StorageAdapter}: a wrapper that encrypts the payloads of
 * instances and history before the inner adapter sees them, and decrypts what it reads back.
 */
import type { JsonObject } from '../definition/definition.types.js';
import type { HistoryEvent, InstanceRecord, StepRecord } from '../model/instance.types.js';
import { isEncryptedValue, openValue, sealValue, type EncryptedValue } from './encryption-envelope.js';
import { decryptionFailedError, keyMissingError } from './encryption-errors.js';
import { parseKeyring, type EncryptionKey, type Keyring } from './encryption-keys.js';
import { runReencryption, type KeyUsage, type ReencryptOptions, type ReencryptResult, type RekeyCodec } from './encryption-rekey.js';
import { CodecStorage } from './codec-storage.js';
import type { HistoryRewrite, StorageAdapter } from './storage-adapter.js';

/** Options of {@link EncryptedStorage}. */
export interface EncryptedStorageOptions {
  /**
   * Keys by id: 32 bytes each, as a Buffer or as 64 hex characters or base64. Keep the ids of old
   * keys here after a rotation: values are decrypted with the key their `kid` names.
   */
  keys: Record<string, EncryptionKey>;
  /** Id (in `keys`) of the key new values are encrypted with. */
  currentKeyId: string;
}

/** Where a value sits in a record: for the authenticated data and for messages. */
interface Field {
  instanceId: string;
  /** Bound into the ciphertext (additional authenticated data). */
  aad: string;
  /** For messages, e.g. `the output of step "pay"`. */
  label: string;
}

const dataField = (instanceId: string): Field => ({ instanceId, aad: `${instanceId}\u0000data`, label: 'the data' });
const outputField = (instanceId: string, stepId: string): Field => ({
  instanceId,
  aad: `${instanceId}\u0000steps\u0000${stepId}\u0000output`,
  label: `the output of step "${stepId}"`,
});
const payloadField = (instanceId: string, name: string): Field => ({
  instanceId,
  aad: `${instanceId}\u0000signals\u0000${name}\u0000payload`,
  label: `the payload of signal "${name}"`,
});
const eventField = (instanceId: string, seq: number): Field => ({
  instanceId,
  aad: `${instanceId}\u0000history\u0000${seq}\u0000data`,
  label: `the data of history event #${seq}`,
});

/**
 * A {@link StorageAdapter} that encrypts, with AES-256-GCM (node:crypto, a random 12-byte IV per
 * value), the instance `data`, every step `output`, every buffered signal `payload` and every
 * history event's `data`, and hands the rest to `inner` unchanged. Each encrypted value is stored
 * in place as `{ "$enc": "aes-256-gcm", "kid", "iv", "tag", "ct" }`, so any adapter stores it as
 * it stores JSON. Ids, states, versions, timers, errors, tasks (and their assignees) stay in clear
 * for queries and indexes.
 *
 * Keys rotate without rewriting: new values use `currentKeyId`, reads use the key named by each
 * value's `kid` (a record is re-encrypted with the current key at its next commit; history events
 * keep the key they were written with). Values stored without encryption (written before it was
 * turned on) are read as they are. {@link EncryptedStorage.reencrypt} moves everything stored to
 * the current key, after which old keys can be removed ({@link EncryptedStorage.keyUsage} tells).
 *
 * Reads return plain decrypted copies; the inner adapter never sees plaintext. An unchanged
 * payload object handed in again (the engine reuses step outputs across commits) is not
 * re-encrypted: records handed in must not be mutated afterwards, as the contract says.
 * `commitMany`, `claimWork`, `renewLeases`, `rewriteHistory`, `prefersGroupCommit` and `groupCommitWriters` exist when the inner adapter has them.
 *
 * ```ts
 * const storage = new EncryptedStorage(new FileStorage({ directory: 'data' }), {
 *   keys: { '2025-01': process.env.WF_KEY_2025_01!, '2025-07': process.env.WF_KEY_2025_07! },
 *   currentKeyId: '2025-07',
 * });
 * ```
 * @throws WorkflowError (WF_INPUT_INVALID) from the constructor when a key is not 32 bytes or
 * `currentKeyId` names no key. Reads throw WorkflowError `WF_ENCRYPTION_KEY_MISSING` (a value's key
 * id is not configured) or `WF_DECRYPTION_FAILED` (wrong key, or altered value), never garbage.
 */
export class EncryptedStorage extends CodecStorage {
  /** Id of the key new values are encrypted with. */
  readonly currentKeyId: string;
  declare readonly rewriteHistory?: (instanceId: string, rewrites: HistoryRewrite[]) => Promise<void>;
  /** The inner storage's limit, which applies to the encrypted JSON (larger than the plain one). */
  declare readonly maxPayloadBytes?: number;
  private readonly keyring: Keyring;
  private readonly currentKey: Buffer;
  /** Envelopes of payload objects already encrypted, by object (see the class comment). */
  private readonly sealed = new WeakMap<object, { aad: string; envelope: EncryptedValue }>();

  constructor(inner: StorageAdapter, options: EncryptedStorageOptions) {
    super(inner, 'EncryptedStorage');
    this.keyring = parseKeyring(options?.keys, options?.currentKeyId);
    this.currentKeyId = this.keyring.currentKeyId;
    this.currentKey = this.keyring.keys.get(this.currentKeyId)!;
    const self = this as { -readonly [K in keyof EncryptedStorage]: EncryptedStorage[K] };
    if (inner.rewriteHistory) {
      self.rewriteHistory = (id, rewrites) =>
        inner.rewriteHistory!(id, rewrites.map(({ seq, data }) => ({ seq, data: this.seal(data, eventField(id, seq)) as never })));
    }
    if (inner.maxPayloadBytes !== undefined) self.maxPayloadBytes = inner.maxPayloadBytes;
  }

  // ---- encryption --------------------------------------------------------------------------

  private seal(value: unknown, field: Field): EncryptedValue {
    const cacheable = typeof value === 'object' && value !== null;
    if (cacheable) {
      const hit = this.sealed.get(value);
      if (hit && hit.aad === field.aad && hit.envelope.kid === this.currentKeyId) return hit.envelope;
    }
    const envelope = sealValue(value, this.currentKey, this.currentKeyId, field.aad);
    if (cacheable) this.sealed.set(value, { aad: field.aad, envelope });
    return envelope;
  }

  private open(value: unknown, field: Field): unknown {
    if (!isEncryptedValue(value)) return value;
    const kid = value.kid;
    const key = typeof kid === 'string' ? this.keyring.keys.get(kid) : undefined;
    if (key === undefined) throw keyMissingError(String(kid), field.instanceId, field.label, [...this.keyring.keys.keys()]);
    try {
      return openValue(value, key, field.aad);
    } catch (error) {
      throw decryptionFailedError(kid, field.instanceId, field.label, error);
    }
  }

  protected encodeRecord(record: InstanceRecord): InstanceRecord {
    const id = record.id;
    const steps: Record<string, StepRecord> = {};
    for (const [stepId, step] of Object.entries(record.steps)) {
      steps[stepId] = step.output === undefined ? step : { ...step, output: this.seal(step.output, outputField(id, stepId)) };
    }
    return {
      ...record,
      data: this.seal(record.data, dataField(id)),
      steps,
      signals: record.signals.map((signal) => ({ ...signal, payload: this.seal(signal.payload, payloadField(id, signal.name)) })),
    };
  }

  protected encodeEvent(event: HistoryEvent): HistoryEvent {
    return event.data === undefined ? event : { ...event, data: this.seal(event.data, eventField(event.instanceId, event.seq)) };
  }

  // ---- decryption --------------------------------------------------------------------------

  /** A deep copy of `stored` with its values decrypted. */
  protected decodeRecord(stored: InstanceRecord): InstanceRecord {
    const record = structuredClone(stored);
    const id = record.id;
    record.data = this.open(record.data, dataField(id)) as JsonObject;
    for (const [stepId, step] of Object.entries(record.steps)) {
      if (step.output !== undefined) step.output = this.open(step.output, outputField(id, stepId)) as JsonObject;
    }
    for (const signal of record.signals) signal.payload = this.open(signal.payload, payloadField(id, signal.name)) as JsonObject;
    return record;
  }

  protected decodeEvent(event: HistoryEvent): HistoryEvent {
    return event.data === undefined ? { ...event } : { ...event, data: this.open(event.data, eventField(event.instanceId, event.seq)) as JsonObject };
  }

  // ---- re-encryption (see encryption-rekey.ts) --------------------------------------------

  private rekeyCodec(): RekeyCodec {
    return {
      inner: this.inner,
      currentKeyId: this.currentKeyId,
      reencryptRecord: (stored) => this.encodeRecord(this.decodeRecord(stored)),
      reencryptEvent: (stored) => this.encodeEvent(this.decodeEvent(stored)),
    };
  }

  /**
   * Re-encrypts with the current key every record and history event stored under another key (or
   * in clear): all instances in every state, oldest first, `batchSize` at a time. Records are
   * rewritten by compare-and-swap (engines may keep running: a commit of theirs wins and is already
   * under the current key), events through the inner storage's `rewriteHistory`. Resumable with
   * `cursor` (from `onProgress` or the result's `nextCursor`); running it again skips what is done.
   * Once it returns `done` with every engine already writing with this `currentKeyId`, old keys can
   * be removed: check with {@link EncryptedStorage.keyUsage}.
   * @throws WorkflowError (WF_INPUT_INVALID) when the inner storage has no `rewriteHistory`;
   * `WF_ENCRYPTION_KEY_MISSING` / `WF_DECRYPTION_FAILED` for a value no configured key opens.
   */
  reencrypt(options: ReencryptOptions = {}): Promise<ReencryptResult> {
    return runReencryption(this.rekeyCodec(), options, true);
  }

  /**
   * Which key ids the stored values use (and how many are in clear), reading everything and writing
   * nothing (works without the keys). A key absent from `keys` of the result can be removed.
   */
  async keyUsage(options: Omit<ReencryptOptions, 'maxInstances'> = {}): Promise<KeyUsage & { done: boolean; nextCursor?: string }> {
    const { instances, keys, unencrypted, done, nextCursor } = await runReencryption(this.rekeyCodec(), options, false);
    return { instances, keys, unencrypted, done, ...(nextCursor ? { nextCursor } : {}) };
  }
}
