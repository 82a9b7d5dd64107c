/**
 * Where {@link RedisStorage} keeps what, under its `keyPrefix` (P):
 *
 * | key                | type       | content                                                        |
 * | ------------------ | ---------- | -------------------------------------------------------------- |
 * | `P i:<id>`         | hash       | `rec` (record JSON), `ver`, `seq`, `st`, `def`, `ca`, `tm`, `wk`, and `bk`, `at`, `ubk`, `ik` (search-indexes.ts) |
 * | `P h:<id>`         | list       | history events as JSON, index = seq - 1                        |
 * | `P idem`           | hash       | idempotency key → instance id                                  |
 * | `P all`            | sorted set | instance ids by createdAt                                      |
 * | `P def:<name>`     | sorted set | instance ids of one definition by createdAt                    |
 * | `P state:<state>`  | sorted set | instance ids in one state by createdAt                         |
 * | `P timers`         | sorted set | `[instanceId, timer]` JSON by fireAt                           |
 * | `P work`           | sorted set | runnable attempts (see work-items.ts) by when claimable        |
 * | `P twork`          | sorted set | timers as work (see work-items.ts) by when claimable           |
 * | `P lease`          | hash       | work member → `<until>|<owner>`                                |
 * | `P bk:<key>`       | sorted set | instance ids with one business key by createdAt                |
 * | `P attr:<av>`      | sorted set | instance ids with one attribute value, `<av>` = `[name, value]` JSON, by createdAt |
 * | `P ubk`            | hash       | `[definitionName, businessKey]` JSON → id of the last instance created with it unique |
 * | `P purge`          | sorted set | ids of finished instances with `purgeAfter`, by purgeAfter     |
 * | `P mlease`         | hash       | maintenance lease name → `<until>|<owner>` (acquireLease)      |
 * | `P dv:<nv>`        | hash       | one stored definition version: `name`, `ver`, `hash`, `src`, `at` |
 * | `P dvs`            | hash       | `<nv>` → summary JSON `{name, version, hash, storedAt}`        |
 *
 * `<nv>` is `JSON.stringify([name, version])` (and `<av>` `JSON.stringify([name, value])`): unambiguous whatever the name and version hold.
 * A definition version is written once (HSETNX on `src`, with its index entry, in one script) and
 * never changed.
 *
 * `tm` and `wk` list the instance's current `timers` and `work` members (newline-separated; members
 * are JSON, which never holds a raw newline) so a commit's script can remove what is gone.
 * The Lua scripts build the per-definition and per-state keys from the prefix themselves, so on
 * Redis Cluster give a prefix with a hash tag (`{wm}:`) to keep every key in one slot.
 */
import { attributeMember } from './search-indexes.js';

/** The field of a definition version in the index (and the end of its key). */
export function definitionField(name: string, version: string): string {
  return JSON.stringify([name, version]);
}

/** The keys of one storage. */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** Hash of one instance: its record and what its scripts need. */
  instance(id: string): string {
    return `${this.prefix}i:${id}`;
  }

  /** List of one instance's history events. */
  history(id: string): string {
    return `${this.prefix}h:${id}`;
  }

  /** Hash: idempotency key → instance id. */
  get idempotency(): string {
    return `${this.prefix}idem`;
  }

  /** Sorted set of every instance id by createdAt. */
  get all(): string {
    return `${this.prefix}all`;
  }

  /** Sorted set of one definition's instance ids by createdAt. */
  definition(name: string): string {
    return `${this.prefix}def:${name}`;
  }

  /** Sorted set of the ids of instances in one state, by createdAt. */
  state(state: string): string {
    return `${this.prefix}state:${state}`;
  }

  /** Sorted set of `[instanceId, timer]` by fireAt. */
  get timers(): string {
    return `${this.prefix}timers`;
  }

  /** Sorted set of runnable attempts by the time they become claimable. */
  get work(): string {
    return `${this.prefix}work`;
  }

  /** Sorted set of timers (as claimable work) by the time they become claimable. */
  get timerWork(): string {
    return `${this.prefix}twork`;
  }

  /** Hash: work member → `<until>|<owner>`. */
  get lease(): string {
    return `${this.prefix}lease`;
  }

  /** Sorted set of the ids of instances with one business key, by createdAt. */
  businessKey(key: string): string {
    return `${this.prefix}bk:${key}`;
  }

  /** Sorted set of the ids of instances whose attribute `name` is `value`, by createdAt. */
  attribute(name: string, value: string): string {
    return `${this.prefix}attr:${attributeMember(name, value)}`;
  }

  /** Sorted set of the ids of finished instances by purgeAfter. */
  get purgeable(): string {
    return `${this.prefix}purge`;
  }

  /** Hash: maintenance lease name → `<until>|<owner>`. */
  get maintenanceLeases(): string {
    return `${this.prefix}mlease`;
  }

  /** Hash of one stored definition version. */
  definitionVersion(name: string, version: string): string {
    return `${this.prefix}dv:${definitionField(name, version)}`;
  }

  /** Hash: {@link definitionField} → summary JSON of every stored definition version. */
  get definitionIndex(): string {
    return `${this.prefix}dvs`;
  }
}
