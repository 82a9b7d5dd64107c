/**
 * One round of a write batch: creates and commits of distinct instances (and distinct idempotency
 * keys), written in one transaction by a flavour's writer, which reports what landed. Items that did
 * not land are explained afterwards by reading (see `typeorm-storage.ts`).
 */
import type { Lease } from '@workflow-mastery/core';
import type { PreparedWrite } from './prepare-commit.js';
import { taskRows, timerRows, workRows } from './work-rows.js';
import type { PreparedCommit } from './write-commits.js';

/** A create that passed `prepareCreate`, with its place in the caller's array. */
export interface PreparedCreate {
  index: number;
  prepared: PreparedWrite;
  idempotencyKey?: string;
  lease?: Lease;
}

/** The items of one round. */
export interface BatchRound {
  creates: PreparedCreate[];
  commits: PreparedCommit[];
}

/**
 * What a writer reports: the `index` of every create stored and every commit swapped, and the
 * creates refused for a reason of their own (a unique business key taken), with their error.
 */
export interface RoundOutcome {
  created: Set<number>;
  committed: Set<number>;
  refused: Map<number, Error>;
}

/** An outcome where nothing landed. */
export function emptyOutcome(): RoundOutcome {
  return { created: new Set(), committed: new Set(), refused: new Map() };
}

/**
 * Splits items into rounds in which no instance id and no idempotency key appears twice (a second
 * write of one instance must see the first), keeping the order of each: the first round takes the
 * first occurrence of everything.
 */
export function splitRounds(creates: readonly PreparedCreate[], commits: readonly PreparedCommit[]): BatchRound[] {
  const rounds: BatchRound[] = [];
  let restCreates = [...creates];
  let restCommits = [...commits];
  while (restCreates.length > 0 || restCommits.length > 0) {
    const ids = new Set<string>();
    const keys = new Set<string>();
    const round: BatchRound = { creates: [], commits: [] };
    const laterCreates: PreparedCreate[] = [];
    const laterCommits: PreparedCommit[] = [];
    for (const item of restCreates) {
      const id = item.prepared.record.id;
      const key = item.idempotencyKey;
      if (ids.has(id) || (key !== undefined && keys.has(key))) {
        laterCreates.push(item);
        continue;
      }
      ids.add(id);
      if (key !== undefined) keys.add(key);
      round.creates.push(item);
    }
    for (const item of restCommits) {
      const id = item.prepared.record.id;
      if (ids.has(id)) {
        laterCommits.push(item);
        continue;
      }
      ids.add(id);
      round.commits.push(item);
    }
    rounds.push(round);
    restCreates = laterCreates;
    restCommits = laterCommits;
  }
  return rounds;
}

/** A record and the lease its new rows take, for the derived tables. */
export interface DerivedSource {
  id: string;
  record: PreparedWrite['record'];
  lease?: Lease | undefined;
}

/** Appends one row to column-wise arrays (`columns[i]` gets `row[i]`). */
export function appendRow(columns: unknown[][], row: readonly unknown[]): void {
  row.forEach((value, i) => columns[i]!.push(value));
}

/** Column-wise arrays of the derived rows of `sources`, as array parameters take them. */
export function derivedColumns(sources: readonly DerivedSource[]): { work: unknown[][]; timers: unknown[][]; tasks: unknown[][] } {
  const work: unknown[][] = [[], [], [], [], [], []];
  const timers: unknown[][] = [[], [], [], [], [], [], [], []];
  const tasks: unknown[][] = [[], [], [], [], [], []];
  for (const { id, record, lease } of sources) {
    const owner = lease?.owner ?? null;
    const until = lease?.until ?? null;
    for (const w of workRows(record)) appendRow(work, [id, w.kind, w.stepId, w.attempt, owner, until]);
    for (const t of timerRows(record)) appendRow(timers, [id, t.timerId, t.kind, t.fireAt, t.stepId, t.claimable, owner, until]);
    for (const k of taskRows(record)) appendRow(tasks, [k.id, id, k.stepId, k.assignedTo, k.state, k.dueAt]);
  }
  return { work, timers, tasks };
}
