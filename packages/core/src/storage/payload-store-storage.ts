/**
 * A {@link StorageAdapter} wrapper that keeps large values out of the storage: an instance's data,
 * a step's output, a signal's payload or an event's data whose JSON is over `offloadAboveBytes` is
 * written to a {@link PayloadStore} (the file system by default) and stored as a reference
 * (`{ "$payloadRef": "sha256-…", "bytes": n }`); reads put the value back, so the engine, actions,
 * the HTTP API and the history see the value itself.
 */
import { createHash } from 'node:crypto';
import type { JsonObject } from '../definition/definition.types.js';
import { ErrorCode, StorageCorruptError, WorkflowError } from '../errors.js';
import type { HistoryEvent, InstanceRecord, StepRecord } from '../model/instance.types.js';
import { FilePayloadStore, type PayloadStore } from './payload-store.js';
import { CodecStorage } from './codec-storage.js';
import type { StorageAdapter } from './storage-adapter.js';

/** A value kept in the payload store. */
export interface PayloadRef {
  $payloadRef: string;
  bytes: number;
}

/** Options of {@link PayloadStoreStorage}. */
export interface PayloadStoreStorageOptions {
  /** Where large values go. @defaultValue a {@link FilePayloadStore} in `.workflow-payloads` */
  store?: PayloadStore;
  /**
   * A value whose JSON is larger (UTF-8 bytes) is stored by reference. Keep it well under the inner
   * storage's `maxPayloadBytes`: the record keeps every smaller value in place. @defaultValue 65536
   */
  offloadAboveBytes?: number;
  /** The largest value accepted at all (the engine's default limit). @defaultValue none */
  maxPayloadBytes?: number;
}

/** True for a stored reference. */
export function isPayloadRef(value: unknown): value is PayloadRef {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v.$payloadRef === 'string' && typeof v.bytes === 'number' && Object.keys(v).length === 2;
}

/** See the file header. Claims, leases, timers and definitions pass through untouched. */
export class PayloadStoreStorage extends CodecStorage {
  readonly store: PayloadStore;
  readonly offloadAboveBytes: number;
  declare readonly maxPayloadBytes?: number;
  declare readonly prefersGroupCommit?: boolean;
  declare readonly groupCommitWriters?: number;
  /** References of values already stored, by the value object (records share unchanged values). */
  private readonly refs = new WeakMap<object, PayloadRef>();

  constructor(inner: StorageAdapter, options: PayloadStoreStorageOptions = {}) {
    super(inner, 'PayloadStoreStorage');
    this.store = options.store ?? new FilePayloadStore({ directory: '.workflow-payloads' });
    this.offloadAboveBytes = options.offloadAboveBytes ?? 65_536;
    if (!Number.isInteger(this.offloadAboveBytes) || this.offloadAboveBytes < 256) {
      throw new WorkflowError(ErrorCode.InputInvalid, `new PayloadStoreStorage(inner, { offloadAboveBytes }): an integer of at least 256 bytes; got ${String(options.offloadAboveBytes)}.`);
    }
    const self = this as { -readonly [K in keyof PayloadStoreStorage]: PayloadStoreStorage[K] };
    if (options.maxPayloadBytes !== undefined) self.maxPayloadBytes = options.maxPayloadBytes;
  }

  // ---- offloading --------------------------------------------------------------------------

  /** `value`, or a reference to it once it is in the store. */
  private async offload<T extends JsonObject>(value: T): Promise<T | PayloadRef> {
    const known = this.refs.get(value);
    if (known) return known;
    const json = JSON.stringify(value);
    if (json.length <= this.offloadAboveBytes / 3 || Buffer.byteLength(json) <= this.offloadAboveBytes) return value;
    const ref: PayloadRef = { $payloadRef: `sha256-${createHash('sha256').update(json).digest('hex')}`, bytes: Buffer.byteLength(json) };
    await this.store.put(ref.$payloadRef, json);
    this.refs.set(value, ref);
    return ref;
  }

  protected async encodeRecord(record: InstanceRecord): Promise<InstanceRecord> {
    const steps: Record<string, StepRecord> = {};
    await Promise.all(
      Object.entries(record.steps).map(async ([stepId, step]) => {
        steps[stepId] = step.output === undefined ? step : { ...step, output: (await this.offload(step.output)) as JsonObject };
      }),
    );
    const signals = await Promise.all(record.signals.map(async (signal) => ({ ...signal, payload: (await this.offload(signal.payload)) as JsonObject })));
    return { ...record, data: (await this.offload(record.data)) as JsonObject, steps, signals };
  }

  protected async encodeEvent(event: HistoryEvent): Promise<HistoryEvent> {
    return event.data === undefined ? event : { ...event, data: (await this.offload(event.data)) as JsonObject };
  }

  // ---- reading back ------------------------------------------------------------------------

  private async load(value: JsonObject, id: string, what: string): Promise<JsonObject> {
    if (!isPayloadRef(value)) return value;
    const json = await this.store.get(value.$payloadRef);
    if (json === undefined) throw new StorageCorruptError(`The ${what} of instance ${id} refers to ${value.$payloadRef}, which the payload store does not have`, 'payload store');
    return JSON.parse(json) as JsonObject;
  }

  protected async decodeRecord(stored: InstanceRecord): Promise<InstanceRecord> {
    const id = stored.id;
    const steps: Record<string, StepRecord> = {};
    await Promise.all(
      Object.entries(stored.steps).map(async ([stepId, step]) => {
        steps[stepId] = step.output === undefined || !isPayloadRef(step.output) ? step : { ...step, output: await this.load(step.output, id, `output of step "${stepId}"`) };
      }),
    );
    const signals = await Promise.all(stored.signals.map(async (s) => (isPayloadRef(s.payload) ? { ...s, payload: await this.load(s.payload, id, `payload of signal "${s.name}"`) } : s)));
    return { ...stored, data: await this.load(stored.data, id, 'data'), steps, signals };
  }

  protected async decodeEvent(event: HistoryEvent): Promise<HistoryEvent> {
    return event.data === undefined || !isPayloadRef(event.data) ? event : { ...event, data: await this.load(event.data, event.instanceId, `data of event ${event.seq}`) };
  }
}
