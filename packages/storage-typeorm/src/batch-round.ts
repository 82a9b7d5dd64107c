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

/** What a writer reports: the `index` of every create stored and every commit swapped. */
export interface RoundOutcome {
  created: Set<number>;
  committed: Set<number>;
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

/** Column-wise arrays of the derived rows of `sources`, as array parameters take them. */
export function derivedColumns(sources: readonly DerivedSource[]): {
  work: [string[], string[], string[], number[], Array<string | null>, Array<number | null>];
  timers: [string[], string[], string[], number[], Array<string | null>, number[], Array<string | null>, Array<number | null>];
  tasks: [string[], string[], string[], string[], string[], Array<number | null>];
} {
  const work: ReturnType<typeof derivedColumns>['work'] = [[], [], [], [], [], []];
  const timers: ReturnType<typeof derivedColumns>['timers'] = [[], [], [], [], [], [], [], []];
  const tasks: ReturnType<typeof derivedColumns>['tasks'] = [[], [], [], [], [], []];
  for (const { id, record, lease } of sources) {
    const owner = lease?.owner ?? null;
    const until = lease?.until ?? null;
    for (const row of workRows(record)) {
      work[0].push(id);
      work[1].push(row.kind);
      work[2].push(row.stepId);
      work[3].push(row.attempt);
      work[4].push(owner);
      work[5].push(until);
    }
    for (const row of timerRows(record)) {
      timers[0].push(id);
      timers[1].push(row.timerId);
      timers[2].push(row.kind);
      timers[3].push(row.fireAt);
      timers[4].push(row.stepId);
      timers[5].push(row.claimable);
      timers[6].push(owner);
      timers[7].push(until);
    }
    for (const row of taskRows(record)) {
      tasks[0].push(row.id);
      tasks[1].push(id);
      tasks[2].push(row.stepId);
      tasks[3].push(row.assignedTo);
      tasks[4].push(row.state);
      tasks[5].push(row.dueAt);
    }
  }
  return { work, timers, tasks };
}
