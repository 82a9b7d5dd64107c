/** What one command invocation holds: options, output, storage and engine, closed at the end. */
import path from 'node:path';
import type { PurgeOptions, StorageAdapter, WorkflowEngine } from '@workflow-mastery/core';
import { cliLogger, type LogLevel } from './cli-logger.js';
import { DEFAULT_DATABASE, describeDatabase, parseDatabaseUrl, type DatabaseSpec } from './database-url.js';
import { withEncryption } from './encryption-env.js';
import { createEngine, type EngineMode } from './engine-factory.js';
import type { GlobalOptions } from './global-options.js';
import { openStorage } from './open-storage.js';
import { Output, type OutputStreams } from './output.js';
import { parseRetention } from './parse-options.js';
import { commandLine } from './rerun-command.js';
import { loadSources, mergeSources, type WorkflowSources } from './workflow-sources.js';

/** The process around a command (real streams in the binary). */
export interface CliIo extends OutputStreams {
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** One command invocation. */
export class Session {
  readonly out: Output;
  readonly database: DatabaseSpec;
  private engineInstance?: WorkflowEngine;
  private storageInstance?: StorageAdapter;

  /**
   * @param givenArgs the global options given on the command line that later commands need too
   *   (`--database`, `--module`...), for the commands printed as next steps
   */
  constructor(
    readonly options: GlobalOptions,
    readonly io: CliIo,
    readonly givenArgs: readonly string[] = [],
  ) {
    this.out = new Output(io, { json: options.json, color: options.color, env: io.env });
    this.database = parseDatabaseUrl(options.database ?? DEFAULT_DATABASE, io.cwd);
  }

  /**
   * `workflow-mastery` with the options a printed next step needs to run as printed: those given
   * to this command, plus `extra` (the file `run FILE` loaded its definition from).
   */
  hintCommand(extra: readonly string[] = []): string {
    const args = [...this.givenArgs];
    for (let i = 0; i + 1 < extra.length; i += 2) {
      const [flag, value] = [extra[i]!, extra[i + 1]!];
      if (!args.some((a, j) => a === flag && args[j + 1] === value)) args.push(flag, value);
    }
    return commandLine(args);
  }

  /** The database, for messages (no password). */
  describeDatabase(): string {
    return describeDatabase(this.database, this.io.cwd);
  }

  /** Definitions and actions from `--module` (else `WORKFLOW_MODULES`, comma-separated) and `--definition`, plus `extra`. */
  async sources(extra: Partial<WorkflowSources> = {}): Promise<WorkflowSources> {
    const modules = this.options.module.length > 0 ? this.options.module : (this.io.env.WORKFLOW_MODULES ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '');
    return mergeSources(await loadSources(modules.map((m) => path.resolve(this.io.cwd, m)), this.options.definition.map((d) => path.resolve(this.io.cwd, d))), extra);
  }

  /**
   * The storage alone (for `migrate`), closed with the session: an EncryptedStorage around it when
   * `WORKFLOW_ENCRYPTION_KEYS` is set (see encryption-env.ts).
   */
  async storage(): Promise<StorageAdapter> {
    this.storageInstance ??= withEncryption(
      await openStorage(this.database, this.options.tablePrefix !== undefined ? { tablePrefix: this.options.tablePrefix } : {}),
      this.io.env,
    );
    return this.storageInstance;
  }

  /**
   * An engine in `mode` over the storage, ready (storage open); closed with the session. Its log
   * level follows the mode (`logLevel` overrides it, `--verbose` overrides both).
   */
  async engine(mode: EngineMode, sources: WorkflowSources, options: { logLevel?: LogLevel; purge?: PurgeOptions } = {}): Promise<WorkflowEngine> {
    if (this.engineInstance) throw new Error('Session.engine() called twice');
    const level: LogLevel = this.options.verbose ? 'debug' : (options.logLevel ?? (mode === 'serve' || mode === 'worker' ? 'warn' : mode === 'run' ? 'error' : 'silent'));
    const retention = parseRetention(this.options.retention);
    const engine = await createEngine({
      storage: await this.storage(),
      ...(retention !== undefined ? { retention } : {}),
      ...(options.purge ? { purge: options.purge } : {}),
      sources,
      mode,
      logger: cliLogger(level, (l) => this.io.stderr.write(`${l}\n`)),
      ...(this.options.redis ? { queue: { redis: this.options.redis, name: this.options.queue ?? 'workflow-mastery' } } : {}),
    });
    this.engineInstance = engine;
    await engine.ready;
    return engine;
  }

  /** Close the engine (which closes the storage), or the storage alone. Never throws. */
  async close(): Promise<void> {
    try {
      if (this.engineInstance) await this.engineInstance.close();
      else if (this.storageInstance) await this.storageInstance.close();
    } catch {
      // Closing after a failure (storage never opened): nothing more to say.
    }
  }
}
