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
import type {
  ClaimedWork,
  Commit,
  CreateResult,
  DueTimer,
  InstancePage,
  InstanceQuery,
  Lease,
  StorageAdapter,
  StoredDefinition,
  StoredDefinitionSummary,
} from './storage-adapter.js';

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
export class PayloadStoreStorage implements StorageAdapter {
  readonly store: PayloadStore;
  readonly offloadAboveBytes: number;
  declare readonly maxPayloadBytes?: number;
  declare readonly prefersGroupCommit?: boolean;
  declare readonly groupCommitWriters?: number;
  declare readonly commitMany?: (commits: Commit[]) => Promise<Array<Error | undefined>>;
  declare readonly claimWork?: (lease: Lease, now: number, limit: number) => Promise<ClaimedWork[]>;
  declare readonly renewLeases?: (lease: Lease, items: ClaimedWork[]) => Promise<void>;
  /** References of values already stored, by the value object (records share unchanged values). */
  private readonly refs = new WeakMap<object, PayloadRef>();

  constructor(
    readonly inner: StorageAdapter,
    options: PayloadStoreStorageOptions = {},
  ) {
    if (typeof inner !== 'object' || inner === null || typeof inner.createInstance !== 'function') {
      throw new TypeError('new PayloadStoreStorage(inner, options): inner must be a StorageAdapter, e.g. new MemoryStorage().');
    }
    this.store = options.store ?? new FilePayloadStore({ directory: '.workflow-payloads' });
    this.offloadAboveBytes = options.offloadAboveBytes ?? 65_536;
    if (!Number.isInteger(this.offloadAboveBytes) || this.offloadAboveBytes < 256) {
      throw new WorkflowError(ErrorCode.InputInvalid, `new PayloadStoreStorage(inner, { offloadAboveBytes }): an integer of at least 256 bytes; got ${String(options.offloadAboveBytes)}.`);
    }
    const self = this as { -readonly [K in keyof PayloadStoreStorage]: PayloadStoreStorage[K] };
    if (options.maxPayloadBytes !== undefined) self.maxPayloadBytes = options.maxPayloadBytes;
    if (inner.commitMany) self.commitMany = (commits) => this.offloadedCommitMany(commits);
    if (inner.claimWork) self.claimWork = (lease, now, limit) => inner.claimWork!(lease, now, limit);
    if (inner.renewLeases) self.renewLeases = (lease, items) => inner.renewLeases!(lease, items);
    if (inner.prefersGroupCommit !== undefined) self.prefersGroupCommit = inner.prefersGroupCommit;
    if (inner.groupCommitWriters !== undefined) self.groupCommitWriters = inner.groupCommitWriters;
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

  private async offloadRecord(record: InstanceRecord): Promise<InstanceRecord> {
    const steps: Record<string, StepRecord> = {};
    await Promise.all(
      Object.entries(record.steps).map(async ([stepId, step]) => {
        steps[stepId] = step.output === undefined ? step : { ...step, output: (await this.offload(step.output)) as JsonObject };
      }),
    );
    const signals = await Promise.all(record.signals.map(async (signal) => ({ ...signal, payload: (await this.offload(signal.payload)) as JsonObject })));
    return { ...record, data: (await this.offload(record.data)) as JsonObject, steps, signals };
  }

  private async offloadEvents(events: HistoryEvent[]): Promise<HistoryEvent[]> {
    return Promise.all(events.map(async (e) => (e.data === undefined ? e : { ...e, data: (await this.offload(e.data)) as JsonObject })));
  }

  private async offloadCommit(commit: Commit): Promise<Commit> {
    const [instance, events] = await Promise.all([this.offloadRecord(commit.instance), this.offloadEvents(commit.events)]);
    return { ...commit, instance, events };
  }

  // ---- reading back ------------------------------------------------------------------------

  private async load(value: JsonObject, id: string, what: string): Promise<JsonObject> {
    if (!isPayloadRef(value)) return value;
    const json = await this.store.get(value.$payloadRef);
    if (json === undefined) throw new StorageCorruptError(`The ${what} of instance ${id} refers to ${value.$payloadRef}, which the payload store does not have`, 'payload store');
    return JSON.parse(json) as JsonObject;
  }

  private async loadRecord(stored: InstanceRecord): Promise<InstanceRecord> {
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

  private async loadEvent(event: HistoryEvent): Promise<HistoryEvent> {
    return event.data === undefined || !isPayloadRef(event.data) ? event : { ...event, data: await this.load(event.data, event.instanceId, `data of event ${event.seq}`) };
  }

  // ---- StorageAdapter ----------------------------------------------------------------------

  async init(): Promise<void> {
    await this.inner.init?.();
  }

  async createInstance(instance: InstanceRecord, events: HistoryEvent[], idempotencyKey?: string, lease?: Lease): Promise<CreateResult> {
    const [stored, storedEvents] = await Promise.all([this.offloadRecord(instance), this.offloadEvents(events)]);
    const result = await this.inner.createInstance(stored, storedEvents, idempotencyKey, lease);
    return result.created ? { created: true, instance } : { created: false, instance: await this.loadRecord(result.instance) };
  }

  async commit(commit: Commit): Promise<void> {
    await this.inner.commit(await this.offloadCommit(commit));
  }

  private async offloadedCommitMany(commits: Commit[]): Promise<Array<Error | undefined>> {
    const prepared = await Promise.all(commits.map((c) => this.offloadCommit(c).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))));
    const sent = prepared.flatMap((p, i) => (p instanceof Error ? [] : [i]));
    const results: Array<Error | undefined> = prepared.map((p) => (p instanceof Error ? p : undefined));
    if (sent.length > 0) {
      const innerResults = await this.inner.commitMany!(sent.map((i) => prepared[i] as Commit));
      sent.forEach((index, k) => (results[index] = innerResults[k]));
    }
    return results;
  }

  async getInstance(id: string): Promise<InstanceRecord | undefined> {
    const stored = await this.inner.getInstance(id);
    return stored && this.loadRecord(stored);
  }

  async findByIdempotencyKey(key: string): Promise<InstanceRecord | undefined> {
    const stored = await this.inner.findByIdempotencyKey(key);
    return stored && this.loadRecord(stored);
  }

  async listInstances(query?: InstanceQuery): Promise<InstancePage> {
    const page = await this.inner.listInstances(query);
    const items = await Promise.all(page.items.map((r) => this.loadRecord(r)));
    return page.nextCursor === undefined ? { items } : { items, nextCursor: page.nextCursor };
  }

  async getHistory(id: string, afterSeq?: number): Promise<HistoryEvent[]> {
    return Promise.all((await this.inner.getHistory(id, afterSeq)).map((e) => this.loadEvent(e)));
  }

  dueTimers(before: number, limit?: number): Promise<DueTimer[]> {
    return this.inner.dueTimers(before, limit);
  }

  saveDefinition(definition: StoredDefinition): Promise<StoredDefinition> {
    return this.inner.saveDefinition(definition);
  }

  getDefinition(name: string, version: string): Promise<StoredDefinition | undefined> {
    return this.inner.getDefinition(name, version);
  }

  listDefinitions(name?: string): Promise<StoredDefinitionSummary[]> {
    return this.inner.listDefinitions(name);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
