/** The definitions table: the stored versions of workflow definitions. */
import type { ColumnSpec, IndexSpec } from './column-spec.js';

/** Length of `hash`: a hex SHA-256. */
export const DEFINITION_HASH_LENGTH = 64;

/**
 * One stored definition version (`StoredDefinition` of core): `(name, version)` is the key, so a
 * version is stored once and never replaced; `source` is the canonical JSON (LONGTEXT on
 * MySQL/MariaDB, TEXT elsewhere). {@link workflowEntities} makes the entity class of a table prefix.
 */
export abstract class WorkflowDefinitionEntity {
  name!: string;
  version!: string;
  /** Hex SHA-256 of `source`. */
  hash!: string;
  source!: string;
  /** Epoch ms of the first store. */
  storedAt!: number;
}

/** Columns of {@link WorkflowDefinitionEntity}. */
export const definitionColumns: ColumnSpec[] = [
  { property: 'name', name: 'name', kind: 'id', primary: true },
  { property: 'version', name: 'version', kind: 'id', primary: true },
  { property: 'hash', name: 'hash', kind: 'id', length: DEFINITION_HASH_LENGTH },
  { property: 'source', name: 'source', kind: 'json' },
  { property: 'storedAt', name: 'stored_at', kind: 'bigint' },
];

/** Indexes of {@link WorkflowDefinitionEntity}: none besides the key (listing reads few rows). */
export const definitionIndexes: IndexSpec[] = [];
