/** Starting an instance: checks before anything is stored, the first decision, and its commit. */
import type { JsonObject, WorkflowDefinition } from '../definition/definition.types.js';
import { ErrorCode, WorkflowError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { InstanceRecord } from '../model/instance.types.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import { audit } from './actor.js';
import { startInstance } from './decide/index.js';
import type { DefinitionRegistry } from './definition-registry.js';
import type { StartOptions } from './engine.types.js';
import { validateInput } from './input-validator.js';
import type { InstanceCommitter } from './instance-committer.js';
import type { EngineInstrumentation } from './instrumentation.js';
import { toJsonObject } from './json-value.js';
import type { PayloadLimit } from './payload-limit.js';
import type { DeliveryMode } from './runner.types.js';

/** @internal */
export class InstanceStarter {
  constructor(
    private readonly storage: StorageAdapter,
    private readonly definitions: DefinitionRegistry,
    private readonly committer: InstanceCommitter,
    private readonly delivery: DeliveryMode,
    private readonly generateId: () => string,
    private readonly logger: Logger,
    private readonly instrumentation: EngineInstrumentation | undefined,
    private readonly payloadLimit: PayloadLimit,
  ) {}

  /** Start an instance of `def`; with an idempotency key already used, returns that instance. */
  async start(def: WorkflowDefinition, data: JsonObject, options: StartOptions): Promise<InstanceRecord> {
    if (options.idempotencyKey !== undefined) {
      const existing = await this.storage.findByIdempotencyKey(options.idempotencyKey);
      if (existing) return existing;
    }
    // When work runs elsewhere the actions live in the workers: an API process may have none.
    if (this.delivery === 'local') this.definitions.assertActionsRegistered(def);
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new WorkflowError(ErrorCode.InputInvalid, `Start data for "${def.name}" must be a JSON object, got ${Array.isArray(data) ? 'an array' : typeof data}.`);
    }
    // Checked (depth, prototype keys) and made JSON once, here where the data enters, before the schema sees it.
    const json = this.payloadLimit.check(toJsonObject(data, 'data'), `start data of "${def.name}"`);
    validateInput(def, json);
    checkBusinessKey(options);
    // Stored before the instance is created: a crash in between leaves a harmless stored version.
    if (!this.definitions.isStored(def)) await this.definitions.ensureStored(def);
    const starter = audit(options.startedBy);
    const id = options.instanceId ?? this.generateId();
    const parentRecord = options.parentRecord;
    const correlationId = options.correlationId ?? parentRecord?.correlationId ?? id;
    const traceContext = this.traceStart(def, id, correlationId, parentRecord);
    const decision = startInstance(this.definitions.env(def), {
      id,
      correlationId,
      ...(traceContext ? { traceContext } : {}),
      data: json,
      ...(starter.by !== undefined ? { startedBy: starter.by } : {}),
      ...(starter.from !== undefined ? { startedFrom: starter.from } : {}),
      ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
      ...(options.parent !== undefined ? { parent: options.parent } : {}),
      ...(options.businessKey !== undefined ? { businessKey: options.businessKey, uniqueBusinessKey: options.uniqueBusinessKey === true } : {}),
    });
    return (await this.committer.create(decision, options.idempotencyKey)).instance;
  }

  /** The instrumentation's trace context for a new instance; a hook that throws is logged, never fails the start. */
  private traceStart(def: WorkflowDefinition, instanceId: string, correlationId: string, parentRecord: InstanceRecord | undefined): Record<string, string> | undefined {
    const onStart = this.instrumentation?.onStart;
    if (!onStart) return undefined;
    try {
      return onStart.call(this.instrumentation, {
        instanceId,
        definitionName: def.name,
        definitionVersion: def.version,
        correlationId,
        ...(parentRecord?.traceContext ? { parentTraceContext: parentRecord.traceContext } : {}),
      });
    } catch (error) {
      this.logger.warn({ err: error, hook: 'onStart' }, 'instrumentation hook threw; ignored');
      return undefined;
    }
  }
}

/** Longest business key: what every storage indexes. */
export const MAX_BUSINESS_KEY_LENGTH = 255;

/** `businessKey` is 1 to 255 characters of text without control characters; `uniqueBusinessKey` needs it. */
function checkBusinessKey(options: StartOptions): void {
  const { businessKey, uniqueBusinessKey } = options;
  if (uniqueBusinessKey !== undefined && typeof uniqueBusinessKey !== 'boolean') {
    throw new WorkflowError(ErrorCode.InputInvalid, `start option uniqueBusinessKey must be true or false; got ${JSON.stringify(uniqueBusinessKey)}.`, { option: 'uniqueBusinessKey' });
  }
  if (businessKey === undefined) {
    if (uniqueBusinessKey) throw new WorkflowError(ErrorCode.InputInvalid, 'start option uniqueBusinessKey needs a businessKey: give the key that must be unique, e.g. { businessKey: "A-1003", uniqueBusinessKey: true }.', { option: 'uniqueBusinessKey' });
    return;
  }
  // eslint-disable-next-line no-control-regex
  if (typeof businessKey !== 'string' || businessKey.length === 0 || businessKey.length > MAX_BUSINESS_KEY_LENGTH || /[\u0000-\u001f\u007f]/.test(businessKey)) {
    throw new WorkflowError(
      ErrorCode.InputInvalid,
      `start option businessKey must be a string of 1 to ${MAX_BUSINESS_KEY_LENGTH} characters without control characters, e.g. "A-1003"; got ${typeof businessKey === 'string' ? `${businessKey.length} characters` : JSON.stringify(businessKey)}.`,
      { option: 'businessKey' },
    );
  }
}
