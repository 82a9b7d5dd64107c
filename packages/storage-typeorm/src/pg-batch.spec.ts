import { describe, expect, it } from '@jest/globals';
import type { BatchRound } from './batch-round.js';
import { roundStatement, shapeOf, statementGeneration } from './pg-batch.js';
import { tableNames } from './schema/table-names.js';
import type { StorageContext } from './storage-context.js';

const context = (prefix: string): StorageContext => ({ names: tableNames(prefix) }) as unknown as StorageContext;
const round = (commits: number, creates: number): BatchRound => ({ commits: new Array(commits).fill({}), creates: new Array(creates).fill({}) }) as unknown as BatchRound;
/** The highest parameter number of a statement text. */
const lastParameter = (text: string): number => Math.max(...[...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));

describe('the PostgreSQL round statement', () => {
  it('takes the shape of its round: one commit or one create from scalars, anything else from arrays', () => {
    expect(shapeOf(round(1, 0))).toBe('commit');
    expect(shapeOf(round(0, 1))).toBe('create');
    expect(shapeOf(round(2, 0))).toBe('many');
    expect(shapeOf(round(1, 1))).toBe('many');
    expect(shapeOf(round(0, 3))).toBe('many');
  });

  it('writes only the half a one-instance round needs, its instance row from scalars', () => {
    const ctx = context('pgb_');
    const commit = roundStatement(ctx, 'commit');
    expect(commit).toMatch(/^WITH\nc AS \(SELECT \$1::varchar AS id, \$2::int AS expected/);
    expect(commit).toContain('UPDATE "pgb_instances"');
    expect(commit).not.toContain('INSERT INTO "pgb_instances"');
    expect(commit).toContain('w_del AS');
    const create = roundStatement(ctx, 'create');
    expect(create).toContain('INSERT INTO "pgb_instances"');
    expect(create).toMatch(/SELECT \$1::varchar AS id, \$2::varchar AS definition_name/);
    expect(create).not.toContain('UPDATE "pgb_instances"');
    // A new instance has no derived rows to delete.
    expect(create).not.toMatch(/_del AS/);
    const many = roundStatement(ctx, 'many');
    expect(many).toContain('unnest($1::varchar[], $2::int[]');
    expect(many).toContain('UPDATE "pgb_instances"');
    expect(many).toContain('INSERT INTO "pgb_instances"');
    // Every parameter numbered once, in order: 13 + 13 instance columns, 7 event, 6 work, 8 timer, 6 task, 3 attribute, 1 list.
    expect(lastParameter(many)).toBe(57);
    expect(lastParameter(commit)).toBe(44);
    expect(lastParameter(create)).toBe(43);
  });

  it('is cached by prefix and shape', () => {
    expect(roundStatement(context('pgb_'), 'many')).toBe(roundStatement(context('pgb_'), 'many'));
    expect(roundStatement(context('pgc_'), 'many')).toContain('"pgc_instances"');
  });

  it('moves to a new generation (prepared anew) after 512, 4,096, 32,768 and 262,144 rows written', () => {
    const ctx = context('pgb_');
    expect(statementGeneration(ctx, 511)).toBe(0);
    expect(statementGeneration(ctx, 1)).toBe(1);
    expect(statementGeneration(ctx, 4_096 - 512 - 1)).toBe(1);
    expect(statementGeneration(ctx, 1)).toBe(2);
    expect(statementGeneration(ctx, 1_000_000)).toBe(4);
    expect(statementGeneration(ctx, 1)).toBe(4);
    // Counted per storage.
    expect(statementGeneration(context('pgb_'), 1)).toBe(0);
  });
});
