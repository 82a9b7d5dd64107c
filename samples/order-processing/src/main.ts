/**
 * `npm start`: the seed's order processing workflow on the embedded default storage (SQLite, one
 * file under the working folder), with readable progress. Time runs 100× faster (a 30 s retry delay
 * takes 0.3 s) so the demo is quick; set WM_DEMO_SPEED=1 for real time and WM_DATA_DIR to choose
 * where state is kept.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { scaledClock } from '@workflow-mastery/core';
import { TypeOrmStorage } from '@workflow-mastery/storage-typeorm';
import { bold, runOrderDemoCli } from './order-demo-cli.js';

const speed = Number(process.env.WM_DEMO_SPEED ?? 100);
const directory = path.resolve(process.env.WM_DATA_DIR ?? '.workflow-data/order-processing');

process.stdout.write(bold('Workflow Mastery — order processing sample\n'));
const database = path.join(directory, 'workflows.sqlite');
mkdirSync(directory, { recursive: true });
process.stdout.write(`storage: SQLite (${path.relative(process.cwd(), database)}), demo clock ×${speed}\n\n`);

runOrderDemoCli({ storage: new TypeOrmStorage({ type: 'better-sqlite3', database }), clock: scaledClock(speed) }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
