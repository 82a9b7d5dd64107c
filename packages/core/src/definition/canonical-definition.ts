/**
 * The stored form of a definition version: its storable source as canonical JSON (keys sorted at
 * every level, arrays in order, no whitespace) and the SHA-256 of that text. Two definitions with
 * the same name and version are the same definition exactly when their hashes are equal, whatever
 * the key order or formatting (JSON, YAML, the builder) they were written in.
 */
import { ErrorCode, WorkflowError } from '../errors.js';
import { sha256 } from '../storage/fs-utils.js';
import type { StoredDefinition } from '../storage/storage-adapter.js';
import type { WorkflowDefinition } from './definition.types.js';

/** Canonical JSON of a JSON value: object keys sorted by code unit, no whitespace. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

/** The canonical source of a compiled definition (its version always written) and its hash. */
export function canonicalDefinition(def: WorkflowDefinition): { source: string; hash: string } {
  const source = canonicalJson({ ...def.source, version: def.version });
  return { source, hash: sha256(source) };
}

/** The record to store for a compiled definition. */
export function storedDefinitionOf(def: WorkflowDefinition, now: number): StoredDefinition {
  return { name: def.name, version: def.version, ...canonicalDefinition(def), storedAt: now };
}

/** `WF_DEFINITION_CONFLICT`: the same name and version with other content. */
export function definitionConflictError(name: string, version: string, storedHash: string, givenHash: string): WorkflowError {
  return new WorkflowError(
    ErrorCode.DefinitionConflict,
    `Definition "${name}" version ${version} is already stored with different content (stored ${storedHash.slice(0, 12)}, given ${givenHash.slice(0, 12)}); a stored version never changes: give this one a new version.`,
    { definition: name, version, storedHash, givenHash },
  );
}
