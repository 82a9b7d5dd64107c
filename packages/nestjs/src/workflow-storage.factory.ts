/** Builds the engine's storage from `WorkflowModuleOptions.storage`. */
import type { InjectionToken } from '@nestjs/common';
import { FileStorage, MemoryStorage, type StorageAdapter } from '@workflow-mastery/core';
import { importModule, isModuleNotFound, type ModuleImporter } from './optional-import.js';
import { REDIS_STORAGE_PACKAGE, TYPEORM_STORAGE_PACKAGE } from './workflow.constants.js';
import {
  FILE_STORAGE_DIRECTORY,
  STORAGE_EXPORT_MISSING,
  STORAGE_PACKAGE_MISSING,
  TYPEORM_DATA_SOURCE_MISSING,
  TYPEORM_DATA_SOURCE_UNRESOLVED,
  UNKNOWN_STORAGE,
} from './workflow.messages.js';
import { WorkflowModuleConfigError } from './workflow-module-config.error.js';
import type { RedisStorageOption, TypeOrmStorageOption, WorkflowStorageOption } from './workflow-module-options.interface.js';

/** What the storage factory may need from the container. */
export interface StorageFactoryContext {
  /** The storage's dependency injected by token at module definition (`forRoot` with a token), if any. */
  dependency?: unknown;
  /** Looks a token up in the whole container; `undefined` when there is no such provider. */
  resolve(token: InjectionToken): unknown;
  /** @defaultValue a dynamic `import()` */
  importer?: ModuleImporter;
}

/** True for a ready storage object (not one of the option shapes). */
export function isStorageAdapter(value: unknown): value is StorageAdapter {
  const v = value as Partial<StorageAdapter> | null;
  return typeof v === 'object' && v !== null && typeof v.commit === 'function' && typeof v.getInstance === 'function' && typeof v.createInstance === 'function';
}

/** The token a storage option wants injected when the module is defined (a TypeORM DataSource token), if any. */
export function storageDependencyToken(option: WorkflowStorageOption | undefined): InjectionToken | undefined {
  if (typeof option !== 'object' || option === null || isStorageAdapter(option)) return undefined;
  if (option.type !== 'typeorm') return undefined;
  return isToken(option.dataSource) ? option.dataSource : undefined;
}

/** Build the storage; `typeorm` and `redis` load their package only now. */
export async function createWorkflowStorage(option: WorkflowStorageOption | undefined, ctx: StorageFactoryContext): Promise<StorageAdapter> {
  if (option === undefined || option === 'memory') return new MemoryStorage();
  if (isStorageAdapter(option)) return option;
  if (typeof option !== 'object' || option === null || typeof (option as { type?: unknown }).type !== 'string') {
    throw new WorkflowModuleConfigError(UNKNOWN_STORAGE(describe(option)));
  }
  const importer = ctx.importer ?? importModule;
  switch (option.type) {
    case 'memory':
      return new MemoryStorage();
    case 'file':
      if (typeof option.directory !== 'string' || option.directory === '') throw new WorkflowModuleConfigError(FILE_STORAGE_DIRECTORY);
      return new FileStorage({ directory: option.directory, ...(option.fsync !== undefined ? { fsync: option.fsync } : {}) });
    case 'typeorm':
      return createTypeOrmStorage(option, ctx, importer);
    case 'redis':
      return createRedisStorage(option, importer);
    default:
      throw new WorkflowModuleConfigError(UNKNOWN_STORAGE(describe(option)));
  }
}

async function createTypeOrmStorage(option: TypeOrmStorageOption, ctx: StorageFactoryContext, importer: ModuleImporter): Promise<StorageAdapter> {
  if (option.dataSource === undefined || option.dataSource === null) throw new WorkflowModuleConfigError(TYPEORM_DATA_SOURCE_MISSING);
  let dataSource: unknown = option.dataSource;
  if (isToken(option.dataSource)) {
    dataSource = ctx.dependency ?? ctx.resolve(option.dataSource);
    if (typeof dataSource !== 'object' || dataSource === null) {
      throw new WorkflowModuleConfigError(TYPEORM_DATA_SOURCE_UNRESOLVED(tokenName(option.dataSource)));
    }
  }
  const TypeOrmStorage = await loadExport(importer, 'typeorm', TYPEORM_STORAGE_PACKAGE, 'TypeOrmStorage');
  const { type: _type, dataSource: _ds, ...rest } = option;
  return new TypeOrmStorage({ ...rest, dataSource });
}

async function createRedisStorage(option: RedisStorageOption, importer: ModuleImporter): Promise<StorageAdapter> {
  const RedisStorage = await loadExport(importer, 'redis', REDIS_STORAGE_PACKAGE, 'RedisStorage');
  const { type: _type, ...rest } = option;
  return new RedisStorage(rest);
}

type StorageClass = new (options: object) => StorageAdapter;

/** The storage class `name` of `pkg`, or an error that says what to install. */
async function loadExport(importer: ModuleImporter, type: string, pkg: string, name: string): Promise<StorageClass> {
  let mod: Record<string, unknown>;
  try {
    mod = await importer(pkg);
  } catch (error) {
    const cause = isModuleNotFound(error, pkg) ? 'it is not installed' : `loading it failed: ${(error as Error)?.message ?? String(error)}`;
    throw new WorkflowModuleConfigError(STORAGE_PACKAGE_MISSING(type, pkg, cause), { package: pkg }, { cause: error });
  }
  const cls = mod[name];
  if (typeof cls !== 'function') throw new WorkflowModuleConfigError(STORAGE_EXPORT_MISSING(pkg, name), { package: pkg });
  return cls as StorageClass;
}

function isToken(value: unknown): value is InjectionToken {
  return typeof value === 'string' || typeof value === 'symbol' || typeof value === 'function';
}

function tokenName(token: InjectionToken): string {
  if (typeof token === 'function') return token.name || '(anonymous class)';
  return typeof token === 'symbol' ? token.toString() : JSON.stringify(token);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) {
    const type = (value as { type?: unknown }).type;
    return type !== undefined ? `{ type: ${JSON.stringify(type)} }` : `(${value.constructor?.name ?? 'object'} without commit/getInstance/createInstance)`;
  }
  return String(value);
}
