/**
 * What {@link RedisStorage} hands its Lua scripts (in the order redis-scripts.ts reads ARGV), and
 * what their answers mean. Arguments are built and checked before anything is sent, so a malformed
 * record fails without a round trip and never half-way through a pipeline.
 */
import { ConcurrencyError, type ClaimedWork, type Commit, type HistoryEvent, type InstanceRecord, type Lease } from '@workflow-mastery/core';
import { payloadTooLargeError } from '@workflow-mastery/core/storage-kit';
import { checkCommitShape, checkNewInstance, seqMismatchError } from './record-checks.js';
import type { RedisKeys } from './redis-keys.js';
import { searchArgs } from './search-indexes.js';
import { timerMember, workFloor, workMember, workOf } from './work-items.js';

/** A script's answer: a status first (1 = done), then what explains any other status. */
export type ScriptReply = Array<string | number>;

/**
 * Scores go to Redis as strings; a non-finite one would be stored as garbage and never compare.
 * @throws Error naming `what` when `value` is not finite.
 */
export function requireFinite(value: number, what: string): void {
  if (!Number.isFinite(value)) throw new Error(`${what} must be a finite number (epoch ms), got ${value}.`);
}

/** `[until, owner]` of a lease; two empty strings tell the scripts there is none. */
export function leaseArgs(lease: Lease | undefined): [string, string] {
  if (lease === undefined) return ['', ''];
  requireFinite(lease.until, 'lease.until');
  return [String(lease.until), String(lease.owner)];
}

/**
 * JSON of a record (or an event), refused when over `limit` UTF-8 bytes.
 * @throws WorkflowError `WF_PAYLOAD_TOO_LARGE` naming the instance, the part and the limit.
 */
function sizedJson(value: InstanceRecord | HistoryEvent, id: string, part: string, limit: number): string {
  const json = JSON.stringify(value);
  if (json.length * 3 > limit) {
    const bytes = Buffer.byteLength(json);
    if (bytes > limit) throw payloadTooLargeError(id, part, bytes, limit);
  }
  return json;
}

/** Timers and work of a record as script arguments: counts, then (score, member), then (member, score, 'w'|'t'). */
function itemArgs(record: InstanceRecord): Array<string | number> {
  const work = workOf(record);
  const args: Array<string | number> = [record.timers.length, work.length];
  for (const timer of record.timers) {
    requireFinite(timer.fireAt, `Timer "${timer.id}" of instance ${record.id}: fireAt`);
    args.push(String(timer.fireAt), timerMember(record.id, timer));
  }
  for (const entry of work) args.push(entry.member, String(entry.score), entry.timer ? 't' : 'w');
  return args;
}

/**
 * Arguments of the create script.
 * @throws Error when the record or events are malformed.
 */
export function createArgs(keys: RedisKeys, instance: InstanceRecord, events: HistoryEvent[], idempotencyKey: string | undefined, lease: Lease | undefined, limit: number): Array<string | number> {
  checkNewInstance(instance, events);
  requireFinite(instance.createdAt, `Instance ${instance.id}: createdAt`);
  const { id } = instance;
  return [
    keys.instance(id),
    keys.history(id),
    keys.prefix,
    id,
    sizedJson(instance, id, 'record', limit),
    instance.seq,
    instance.state,
    instance.definitionName,
    String(instance.createdAt),
    idempotencyKey === undefined ? '0' : '1',
    idempotencyKey ?? '',
    ...leaseArgs(lease),
    ...itemArgs(instance),
    ...searchArgs(instance),
    ...events.map((e) => sizedJson(e, id, `event ${e.seq}`, limit)),
  ];
}

/**
 * Arguments of the commit script.
 * @throws Error when the events are malformed.
 */
export function commitArgs(keys: RedisKeys, commit: Commit, limit: number): Array<string | number> {
  checkCommitShape(commit);
  const { instance, events } = commit;
  requireFinite(instance.createdAt, `Instance ${instance.id}: createdAt`);
  return [
    keys.instance(instance.id),
    keys.history(instance.id),
    keys.prefix,
    instance.id,
    commit.expectedVersion,
    instance.version,
    sizedJson(instance, instance.id, 'record', limit),
    instance.seq,
    events.length,
    instance.state,
    instance.definitionName,
    String(instance.createdAt),
    ...leaseArgs(commit.lease),
    ...itemArgs(instance),
    ...searchArgs(instance),
    ...events.map((e) => sizedJson(e, instance.id, `event ${e.seq}`, limit)),
  ];
}

/** The error a commit's script answer means, if any. */
export function commitError(commit: Commit, reply: ScriptReply): Error | undefined {
  if (reply[0] === 1) return undefined;
  if (reply[0] === -2) return seqMismatchError(commit, Number(reply[1]));
  const actual = reply[1] === '' || reply[1] === undefined ? undefined : Number(reply[1]);
  return new ConcurrencyError(commit.instance.id, commit.expectedVersion, actual);
}

/** Arguments of the renew script: the keys, the lease, then (member, floor, 'w'|'t') of each item. */
export function renewArgs(keys: RedisKeys, lease: Lease, items: ClaimedWork[]): string[] {
  const [until, owner] = leaseArgs(lease);
  const args: string[] = [keys.work, keys.timerWork, keys.lease, until, owner];
  for (const item of items) {
    const floor = workFloor(item);
    args.push(workMember(item), floor === undefined || !Number.isFinite(floor) ? '' : String(floor), item.kind === 'timer' ? 't' : 'w');
  }
  return args;
}
