/**
 * The definitions an engine knows, by name and version, with what each needs to be decided on
 * (its {@link DecideEnv}), backed by the storage's definition store: a version is stored the first
 * time an instance uses it, and a version this engine does not have is loaded from the store, so
 * any engine sharing the storage can continue any instance. The instances whose version is neither
 * registered nor stored wait (parked) until it is registered or deployed here.
 */
import type { ActionRegistry } from '../actions/action-registry.js';
import { canonicalDefinition, definitionConflictError } from '../definition/canonical-definition.js';
import { parseDefinition } from '../definition/definition-parser.js';
import type { WorkflowDefinition, WorkflowDefinitionInput } from '../definition/definition.types.js';
import { ErrorCode, NotFoundError, WorkflowError } from '../errors.js';
import type { ExpressionOptions } from '../expression/expression.types.js';
import type { Logger } from '../logger.js';
import type { InstanceRecord } from '../model/instance.types.js';
import type { StorageAdapter, StoredDefinition } from '../storage/storage-adapter.js';
import type { Clock } from './clock.js';
import type { DecideEnv } from './decide/index.js';
import type { DefinitionVersionInfo, DeployedDefinition, DeployOptions } from './definition-ops.types.js';
import { DecideEnvs } from './decide-envs.js';
import { compareVersions, isCompiled } from './definition-versions.js';
import { compileInputSchema } from './input-validator.js';
import { checkJsonInput } from './json-value.js';

const keyOf = (name: string, version: string) => `${name}@${version}`;
/** How long a start by name trusts the latest stored version it read. */
const LATEST_REFRESH_MS = 5_000;

/** @internal The definitions of one engine: registered, deployed, or loaded from the store. */
export class DefinitionRegistry {
  private readonly definitions = new Map<string, Map<string, WorkflowDefinition>>();
  /** Instances whose definition version was neither known nor stored when their work came up. */
  private readonly parked = new Map<string, Set<string>>();
  private readonly hashes = new WeakMap<WorkflowDefinition, { source: string; hash: string }>();
  /** Definitions known to be in the store with this content. */
  private readonly stored = new WeakSet<WorkflowDefinition>();
  /** Loads and stores under way, by `name@version`: concurrent callers share one. */
  private readonly decideEnvs: DecideEnvs;
  private readonly inflight = new Map<string, Promise<WorkflowDefinition | undefined>>();
  /** The latest stored version of each name, and when it was read (wall clock). */
  private readonly latest = new Map<string, { version: string | undefined; at: number }>();

  constructor(
    private readonly actions: ActionRegistry,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly expressionOptions: ExpressionOptions | undefined,
    /** Called for each parked instance once its version is registered. */
    private readonly unpark: (instanceId: string) => void,
    private readonly storage: StorageAdapter,
    /** The engine's `retention` (a definition's own wins). */
    retentionMs: number | false = false,
  ) {
    this.decideEnvs = new DecideEnvs(actions, clock, retentionMs);
  }

  /**
   * Validate and register a definition under its name and version; returns the compiled form.
   * Registering the same content again returns the registered one.
   * @throws WorkflowError `WF_DEFINITION_CONFLICT` when that version is registered with other content.
   */
  register(definition: WorkflowDefinitionInput | WorkflowDefinition): WorkflowDefinition {
    const def = isCompiled(definition) ? definition : this.parse(definition);
    const known = this.definitions.get(def.name)?.get(def.version);
    if (known) {
      if (known === def) return known;
      const [a, b] = [this.hashOf(known), this.hashOf(def)];
      if (a !== b) throw definitionConflictError(def.name, def.version, a, b);
      return known;
    }
    compileInputSchema(def);
    this.add(def);
    return def;
  }

  /** A known definition; the latest version unless one is given. @throws NotFoundError */
  get(name: string, version?: string): WorkflowDefinition {
    const versions = this.definitions.get(name);
    if (!versions || versions.size === 0) {
      throw new NotFoundError('definition', name, `register it with engine.registerDefinition() or deploy it; known: ${[...this.definitions.keys()].join(', ') || 'none'}`);
    }
    if (version !== undefined) {
      const def = versions.get(version);
      if (!def) throw new NotFoundError('definition', `${name}@${version}`, `known versions: ${[...versions.keys()].join(', ')}`);
      return def;
    }
    let latest: WorkflowDefinition | undefined;
    for (const def of versions.values()) if (!latest || compareVersions(def.version, latest.version) > 0) latest = def;
    return latest!;
  }

  /**
   * A definition known here or stored (then loaded); the latest of both unless a version is given.
   * @throws NotFoundError
   */
  async load(name: string, version?: string): Promise<WorkflowDefinition> {
    if (version === undefined) {
      const stored = await this.latestStored(name);
      const local = this.definitions.get(name)?.size ? this.get(name) : undefined;
      if (local && (stored === undefined || compareVersions(local.version, stored) >= 0)) return local;
      if (stored === undefined) return this.get(name); // throws: neither known nor stored
      version = stored;
    }
    const known = this.definitions.get(name)?.get(version);
    if (known) return known;
    const loaded = await this.fromStore(name, version);
    if (!loaded) {
      const versions = (await this.listVersions(name)).map((d) => d.version);
      throw new NotFoundError('definition', `${name}@${version}`, versions.length ? `known versions: ${versions.join(', ')}` : 'neither registered nor stored; deploy it');
    }
    return loaded;
  }

  /**
   * What {@link load} would return when it can tell without I/O (a known version; or the latest,
   * while the latest stored version read recently is not newer): a start by name's hot path.
   */
  cached(name: string, version?: string): WorkflowDefinition | undefined {
    const versions = this.definitions.get(name);
    if (!versions) return undefined;
    if (version !== undefined) return versions.get(version);
    const latest = this.latest.get(name);
    if (!latest || Date.now() - latest.at >= LATEST_REFRESH_MS) return undefined;
    const local = this.get(name);
    return latest.version === undefined || compareVersions(local.version, latest.version) >= 0 ? local : undefined;
  }

  /**
   * The latest stored version of a name, read at most once per {@link LATEST_REFRESH_MS} (a start by
   * name is a hot path): a version deployed by another engine becomes the latest here within that.
   */
  private async latestStored(name: string): Promise<string | undefined> {
    const now = Date.now();
    const cached = this.latest.get(name);
    if (cached && now - cached.at < LATEST_REFRESH_MS) return cached.version;
    const version = (await this.storage.listDefinitions(name)).map((d) => d.version).sort((a, b) => compareVersions(b, a))[0];
    this.latest.set(name, { version, at: now });
    return version;
  }

  /** Every definition this engine has compiled, every version. */
  list(): WorkflowDefinition[] {
    return [...this.definitions.values()].flatMap((v) => [...v.values()]);
  }

  /** Every version stored or known here (of one name, or all), by name then version. */
  async listVersions(name?: string): Promise<DefinitionVersionInfo[]> {
    const byKey = new Map<string, DefinitionVersionInfo>();
    for (const d of await this.storage.listDefinitions(name)) {
      byKey.set(keyOf(d.name, d.version), { ...d, loaded: this.definitions.get(d.name)?.has(d.version) ?? false, stored: true });
    }
    for (const def of this.list()) {
      if ((name !== undefined && def.name !== name) || byKey.has(keyOf(def.name, def.version))) continue;
      byKey.set(keyOf(def.name, def.version), { name: def.name, version: def.version, hash: this.hashOf(def), storedAt: 0, loaded: true, stored: false });
    }
    return [...byKey.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : compareVersions(a.version, b.version)));
  }

  /** The definition of an instance when it is known here and stored: the hot path, no I/O. */
  known(inst: InstanceRecord): WorkflowDefinition | undefined {
    const def = this.definitions.get(inst.definitionName)?.get(inst.definitionVersion);
    return def && this.stored.has(def) ? def : undefined;
  }

  /**
   * The definition an instance runs on: known here (checked once against the store) or loaded from
   * the store. Undefined, logged and parked until registered here, when it is neither; or when the
   * store holds other content for that version (the instance runs on the stored one, never on a
   * different graph); `strict` (a command): the conflict is thrown instead.
   */
  async resolve(inst: InstanceRecord, strict = false): Promise<WorkflowDefinition | undefined> {
    const { definitionName: name, definitionVersion: version } = inst;
    const local = this.definitions.get(name)?.get(version);
    try {
      const def = local ? (await this.ensureStored(local), local) : await this.fromStore(name, version);
      if (def) return def;
      this.park(inst, `definition ${name}@${version} is neither registered nor stored; register or deploy it so instance ${inst.id} can go on`);
    } catch (error) {
      if (!(error instanceof WorkflowError) || error.code !== ErrorCode.DefinitionConflict || strict) throw error;
      this.park(inst, `${error.message} Instance ${inst.id} waits until this engine has the stored content of that version.`);
    }
    return undefined;
  }

  /** True when `def` is known to be stored with this content. */
  isStored(def: WorkflowDefinition): boolean {
    return this.stored.has(def);
  }

  /**
   * Store `def` unless it is stored (once per definition per engine).
   * @throws WorkflowError `WF_DEFINITION_CONFLICT` when the store holds other content for its version.
   */
  async ensureStored(def: WorkflowDefinition): Promise<StoredDefinition> {
    const { hash, source } = this.canonical(def);
    const stored = await this.storage.saveDefinition({ name: def.name, version: def.version, hash, source, storedAt: this.clock.now() });
    if (stored.hash !== hash) throw definitionConflictError(def.name, def.version, stored.hash, hash);
    this.stored.add(def);
    return stored;
  }

  /**
   * Validate fully (every problem at once), store and load a definition at run time; the same
   * content again changes nothing. @throws DefinitionError, or `WF_DEFINITION_CONFLICT`.
   */
  async deploy(input: unknown, options: DeployOptions = {}): Promise<DeployedDefinition> {
    checkJsonInput(input, 'definition');
    const def = this.parse(input as WorkflowDefinitionInput);
    const unknownActions = this.unknownActions(def);
    if (unknownActions.length > 0 && !options.allowUnknownActions) this.assertActionsRegistered(def);
    const known = this.definitions.get(def.name)?.get(def.version);
    if (known) this.register(def); // throws the conflict when the content differs
    const before = await this.storage.getDefinition(def.name, def.version);
    const { source: _source, ...stored } = await this.ensureStored(known ?? def);
    if (!known) this.register(def); // only once stored: a conflicting store leaves nothing loaded
    this.latest.delete(def.name);
    return { ...stored, created: before === undefined, unknownActions, definition: known ?? def };
  }

  private async fromStore(name: string, version: string): Promise<WorkflowDefinition | undefined> {
    const key = keyOf(name, version);
    let loading = this.inflight.get(key);
    if (!loading) {
      loading = this.loadStored(name, version);
      this.inflight.set(key, loading);
      const done = () => this.inflight.delete(key);
      loading.then(done, done);
    }
    return loading;
  }

  private async loadStored(name: string, version: string): Promise<WorkflowDefinition | undefined> {
    const stored = await this.storage.getDefinition(name, version);
    if (!stored) return undefined;
    const known = this.definitions.get(name)?.get(version);
    if (known) return known;
    const def = parseDefinition(JSON.parse(stored.source), this.expressionOptions ? { expressionOptions: this.expressionOptions } : {});
    this.hashes.set(def, { source: stored.source, hash: stored.hash });
    compileInputSchema(def);
    this.stored.add(def);
    this.add(def);
    this.logger.info({ definition: name, version, hash: stored.hash }, `loaded definition ${name}@${version} from the store`);
    return def;
  }

  private add(def: WorkflowDefinition): void {
    let versions = this.definitions.get(def.name);
    if (!versions) this.definitions.set(def.name, (versions = new Map()));
    versions.set(def.version, def);
    const key = keyOf(def.name, def.version);
    const parked = this.parked.get(key);
    if (parked) {
      this.parked.delete(key);
      for (const id of parked) this.unpark(id);
    }
  }

  private park(inst: InstanceRecord, message: string): void {
    const key = keyOf(inst.definitionName, inst.definitionVersion);
    let ids = this.parked.get(key);
    if (!ids) this.parked.set(key, (ids = new Set()));
    ids.add(inst.id);
    this.logger.error(
      { workflowId: inst.id, correlationId: inst.correlationId ?? inst.id, definition: inst.definitionName, version: inst.definitionVersion },
      message,
    );
  }

  private parse(input: WorkflowDefinitionInput): WorkflowDefinition {
    return parseDefinition(input, {
      ...(this.expressionOptions ? { expressionOptions: this.expressionOptions } : {}),
      resolveActionName: (ref) => this.actions.nameOf(ref),
    });
  }

  private canonical(def: WorkflowDefinition): { source: string; hash: string } {
    let canonical = this.hashes.get(def);
    if (!canonical) this.hashes.set(def, (canonical = canonicalDefinition(def)));
    return canonical;
  }

  private hashOf(def: WorkflowDefinition): string {
    return this.canonical(def).hash;
  }

  /** Actions and compensations of `def` that are not registered. */
  unknownActions(def: WorkflowDefinition): string[] {
    return this.decideEnvs.unknownActions(def);
  }

  /** @throws DefinitionError naming every step whose action or compensation is not registered. */
  assertActionsRegistered(def: WorkflowDefinition): void {
    this.decideEnvs.assertActionsRegistered(def);
  }

  /** What {@link decide} needs of a definition; built once per definition, `now` read per decision. */
  env(def: WorkflowDefinition): DecideEnv {
    return this.decideEnvs.env(def);
  }
}
