/**
 * Search attribute rows (`<prefix>instance_attributes`): one per instance and name, value as text.
 * A create inserts them; a commit rewrites them only when the record's attributes changed. Whether
 * they changed is known without a read when this storage wrote or read the version the commit
 * replaces ({@link AttributeTracker}); otherwise the rows are rewritten to be sure.
 */
import { ErrorCode, WorkflowError, type InstanceRecord } from '@workflow-mastery/core';
import type { QueryRunner } from 'typeorm';
import { ID_LENGTH } from './entities/column-spec.js';
import type { WorkflowAttributeEntity } from './entities/retention.entities.js';
import type { StorageContext } from './storage-context.js';
import { deleteWhereIn, insertRows } from './table-ops.js';
import { tooLongMessage } from './storage.messages.js';

/** Name and value of each search attribute, by name. */
export type AttributeEntries = Array<[name: string, value: string]>;

/** The search attributes of `record`, sorted by name, values as text. */
export function attributeEntries(record: InstanceRecord): AttributeEntries {
  const attributes = record.attributes;
  if (attributes === undefined || attributes === null) return [];
  return Object.keys(attributes)
    .sort()
    .map((name) => [name, String(attributes[name])]);
}

/**
 * {@link attributeEntries} of a record about to be written, its business key and attributes checked.
 * @throws WorkflowError (WF_INPUT_INVALID) naming the business key or attribute longer than 255 characters.
 */
export function checkedAttributeEntries(record: InstanceRecord): AttributeEntries {
  if (record.businessKey !== undefined && record.businessKey.length > ID_LENGTH) {
    throw new WorkflowError(ErrorCode.InputInvalid, tooLongMessage('Business key', record.businessKey, ID_LENGTH), { instanceId: record.id });
  }
  const entries = attributeEntries(record);
  for (const [name, value] of entries) {
    if (name.length > ID_LENGTH) throw new WorkflowError(ErrorCode.InputInvalid, tooLongMessage('Search attribute name', name, ID_LENGTH), { instanceId: record.id });
    if (value.length > ID_LENGTH) {
      throw new WorkflowError(ErrorCode.InputInvalid, tooLongMessage(`Search attribute "${name}"`, value, ID_LENGTH), { instanceId: record.id, attribute: name });
    }
  }
  return entries;
}

/** A string equal for equal attribute sets. */
export function attributesKey(entries: AttributeEntries): string {
  return entries.length === 0 ? '' : JSON.stringify(entries);
}

/** Most instances whose attributes this storage remembers; the oldest are forgotten first. */
const TRACKED = 20_000;

/** The attributes stored at the last version of each instance this storage wrote or read. */
export class AttributeTracker {
  private readonly known = new Map<string, { version: number; key: string }>();

  /** True when the rows stored for `id` at `version` are known to be those of `key`. */
  unchanged(id: string, version: number, key: string): boolean {
    const entry = this.known.get(id);
    return entry !== undefined && entry.version === version && entry.key === key;
  }

  /** The rows of `id` at `version` are those of `key`. */
  remember(id: string, version: number, key: string): void {
    this.known.delete(id);
    this.known.set(id, { version, key });
    if (this.known.size > TRACKED) this.known.delete(this.known.keys().next().value!);
  }

  /** Records read from the store: their rows are those of their attributes. */
  sawRecord(record: InstanceRecord): void {
    const entry = this.known.get(record.id);
    if (entry?.version === record.version) return;
    this.remember(record.id, record.version, record.attributes === undefined ? '' : attributesKey(attributeEntries(record)));
  }

  forget(id: string): void {
    this.known.delete(id);
  }
}

/** An instance whose attribute rows are written: all replaced (`replace`) or only inserted (a create). */
export interface AttributeTarget {
  id: string;
  entries: AttributeEntries;
  replace: boolean;
}

/** Writes the attribute rows of `targets` inside `queryRunner`'s transaction. */
export async function writeAttributeRows(ctx: StorageContext, queryRunner: QueryRunner, targets: readonly AttributeTarget[]): Promise<void> {
  const replaced = targets.filter((t) => t.replace).map((t) => t.id);
  if (replaced.length > 0) await deleteWhereIn(ctx, queryRunner, ctx.entities.attribute, 'instance_id', replaced);
  const rows: WorkflowAttributeEntity[] = [];
  for (const { id, entries } of targets) for (const [name, value] of entries) rows.push({ instanceId: id, name, value });
  if (rows.length > 0) await insertRows(queryRunner, ctx.entities.attribute, rows);
}
