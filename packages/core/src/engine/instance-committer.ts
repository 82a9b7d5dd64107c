/**
 * Turns inputs into commits: decides each against the instance and commits it with
 * compare-and-swap, one at a time per instance in this process, re-reading and deciding again when
 * another process moved the instance first. What was committed goes to a {@link CommitListener}.
 */
import { ConcurrencyError, ErrorCode, isWorkflowError, NotFoundError, type WorkflowError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ErrorInfo, HistoryEvent, InstanceRecord } from '../model/instance.types.js';
import type { Commit, CreateResult, NewInstance, StorageAdapter } from '../storage/storage-adapter.js';
import { CommitBatcher, type CommitBatcherOptions } from './commit-batcher.js';
import type { Decision, DecisionInput, Effect } from './decide/index.js';
import { decide } from './decide/index.js';
import type { DefinitionRegistry } from './definition-registry.js';
import type { LeaseKeeper } from './lease-keeper.js';

const MAX_CAS_RETRIES = 20;
/** Attempts to record an outcome while storage fails: 50 ms doubling, about 3 s in all. */
const RECORD_RETRIES = 7;

/** @internal Told of every commit, in commit order per instance. */
export interface CommitListener {
  committed(inst: InstanceRecord, events: HistoryEvent[], effects: Effect[]): void;
}

/** @internal The one writer of instance state in an engine. */
export class InstanceCommitter {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly batcher?: CommitBatcher;
  /** Set by close: storage failures are no longer waited out. */
  stopping = false;

  constructor(
    private readonly storage: StorageAdapter,
    private readonly definitions: DefinitionRegistry,
    private readonly logger: Logger,
    private readonly listener: CommitListener,
    groupCommit: false | CommitBatcherOptions,
    private readonly leases: LeaseKeeper | undefined,
  ) {
    if (groupCommit !== false) this.batcher = new CommitBatcher(storage as StorageAdapter & Required<Pick<StorageAdapter, 'commitMany'>>, groupCommit);
  }

  /** Store a new instance (once per idempotency key); the listener hears of it when it was created. */
  async create(decision: Decision & { ignored: false }, idempotencyKey: string | undefined): Promise<CreateResult> {
    const lease = this.leases?.lease();
    const result = await (this.batcher
      ? this.batcher.create(newInstance(decision, idempotencyKey, lease))
      : this.storage.createInstance(decision.instance, decision.events, idempotencyKey, lease));
    if (result.created) this.listener.committed(result.instance, decision.events, decision.effects);
    return result;
  }

  /**
   * Decide and commit, serialized per instance in this process. `strict`: an unknown instance or
   * definition throws, an ignored input returns the instance (a command); otherwise they return
   * undefined (work). `hint`: a recent read tried first (a stale one fails compare-and-swap).
   */
  apply(id: string, input: DecisionInput, strict = false, hint?: InstanceRecord): Promise<InstanceRecord | undefined> {
    return this.enqueue(id, () => this.applyNow(id, input, strict, hint));
  }

  /**
   * Commit what `change` makes of the instance (migrations): serialized with {@link apply}, with
   * compare-and-swap, re-reading and calling `change` again when another process moved it first.
   * `change` throws to refuse; an ignored decision commits nothing and returns the instance.
   * @throws NotFoundError for an unknown instance.
   */
  transform(id: string, change: (inst: InstanceRecord) => Decision | Promise<Decision>): Promise<InstanceRecord> {
    return this.enqueue(id, async () => {
      for (let tries = 0; ; tries++) {
        const inst = await this.storage.getInstance(id);
        if (!inst) throw new NotFoundError('instance', id);
        const decision = await change(inst);
        if (decision.ignored) return inst;
        if (await this.write(inst, decision, tries)) return decision.instance;
      }
    });
  }

  private enqueue<T>(id: string, run: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(id) ?? Promise.resolve();
    const next = prev.then(run, run);
    this.queues.set(id, next);
    const cleanup = () => {
      if (this.queues.get(id) === next) this.queues.delete(id);
    };
    next.then(cleanup, cleanup);
    return next;
  }

  /** Commit a decision taken on `inst`; false when another process moved it first (decide again). */
  private async write(inst: InstanceRecord, decision: Decision & { ignored: false }, tries: number): Promise<boolean> {
    try {
      await this.store(inst, decision);
    } catch (error) {
      if (error instanceof ConcurrencyError && tries < MAX_CAS_RETRIES) return false;
      throw error;
    }
    this.listener.committed(decision.instance, decision.events, decision.effects);
    return true;
  }

  /** The compare-and-swap write of a decision (not async: the hot path awaits it directly). */
  private store(inst: InstanceRecord, decision: Decision & { ignored: false }): Promise<void> {
    const commit: Commit = { instance: decision.instance, expectedVersion: inst.version, events: decision.events };
    if (this.leases) commit.lease = this.leases.lease();
    return this.batcher ? this.batcher.commit(commit) : this.storage.commit(commit);
  }

  /**
   * Commit the outcome of work, retrying with backoff while storage fails (a database restarting);
   * if it never succeeds the work stays SCHEDULED (or the timer armed) in storage and runs again
   * on the next start. False when it was not recorded.
   */
  async record(id: string, input: DecisionInput, about: object, hint?: InstanceRecord): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.apply(id, input, false, attempt === 1 ? hint : undefined);
        return true;
      } catch (error) {
        // An outcome the storage can never store (too large) is recorded as a failure of the
        // attempt instead, not retried: re-running the work would produce the same outcome.
        const instead = isWorkflowError(error) && error.code === ErrorCode.PayloadTooLarge ? unstorableOutcome(input, error) : undefined;
        if (instead) {
          this.logger.warn({ err: error, workflowId: id, ...about }, 'an outcome is too large to store; the attempt is recorded as failed');
          input = instead;
          continue;
        }
        const storageFault = !isWorkflowError(error);
        if (!storageFault || attempt >= RECORD_RETRIES || this.stopping) {
          this.logger.error({ err: error, workflowId: id, ...about }, 'recording an outcome failed; it is retried on the next start');
          return false;
        }
        const delay = 50 * 2 ** (attempt - 1);
        this.logger.warn({ err: error, workflowId: id, ...about, retryInMs: delay }, 'storage failed while recording an outcome; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Commits queued or being written. */
  pending(): Array<Promise<unknown>> {
    return [...this.queues.values()];
  }

  private async applyNow(id: string, input: DecisionInput, strict: boolean, hint?: InstanceRecord): Promise<InstanceRecord | undefined> {
    for (let tries = 0; ; tries++) {
      const inst = tries === 0 && hint ? hint : await this.storage.getInstance(id);
      if (!inst) {
        if (strict) throw new NotFoundError('instance', id);
        this.logger.warn({ workflowId: id, input: input.type }, 'input for an unknown instance dropped');
        return undefined;
      }
      const def = this.definitions.known(inst) ?? (await this.definitions.resolve(inst, strict));
      if (!def) {
        if (strict) throw new NotFoundError('definition', `${inst.definitionName}@${inst.definitionVersion}`, `instance ${id} runs on it; it is neither registered nor stored: register or deploy that version`);
        return undefined;
      }
      const decision: Decision = decide(this.definitions.env(def), inst, input);
      if (decision.ignored) return strict ? inst : undefined;
      // Written here rather than through write(): one promise less per commit on the hot path.
      try {
        await this.store(inst, decision);
      } catch (error) {
        if (error instanceof ConcurrencyError && tries < MAX_CAS_RETRIES) continue;
        throw error;
      }
      this.listener.committed(decision.instance, decision.events, decision.effects);
      return decision.instance;
    }
  }
}

function newInstance(decision: Decision & { ignored: false }, idempotencyKey: string | undefined, lease: NewInstance['lease']): NewInstance {
  const item: NewInstance = { instance: decision.instance, events: decision.events };
  if (idempotencyKey !== undefined) item.idempotencyKey = idempotencyKey;
  if (lease) item.lease = lease;
  return item;
}

/**
 * What to record instead of an outcome the storage refused as too large: a failure of the same
 * attempt, not retryable, carrying the storage's message (which names the limit). Undefined when
 * there is nothing smaller to record (the outcome carried no data of its own, or was already this).
 */
function unstorableOutcome(input: DecisionInput, refusal: WorkflowError): DecisionInput | undefined {
  const error: ErrorInfo = { message: refusal.message, retryable: false, code: ErrorCode.PayloadTooLarge };
  switch (input.type) {
    case 'step.succeeded':
    case 'step.failed':
      if (input.type === 'step.failed' && input.error.code === ErrorCode.PayloadTooLarge) return undefined;
      return { type: 'step.failed', stepId: input.stepId, attempt: input.attempt, ...(input.run !== undefined ? { run: input.run } : {}), error };
    case 'compensation.failed':
      if (input.error.code === ErrorCode.PayloadTooLarge) return undefined;
      return { type: 'compensation.failed', stepId: input.stepId, attempt: input.attempt, error };
    default:
      return undefined;
  }
}
