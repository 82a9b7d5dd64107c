/**
 * `npm start`: the seed's order processing workflow on durable, embedded file storage, with
 * readable progress. Time runs 100× faster (a 30 s retry delay takes 0.3 s) so the demo is quick;
 * set WM_DEMO_SPEED=1 for real time and WM_DATA_DIR to choose where state is kept.
 */
import path from 'node:path';
import { FileStorage, scaledClock } from '@workflow-mastery/core';
import { bold, runOrderDemoCli } from './order-demo-cli.js';

const speed = Number(process.env.WM_DEMO_SPEED ?? 100);
const directory = path.resolve(process.env.WM_DATA_DIR ?? '.workflow-data/order-processing');

process.stdout.write(bold('Workflow Mastery — order processing sample\n'));
process.stdout.write(`storage: file (${path.relative(process.cwd(), directory) || directory}), demo clock ×${speed}\n\n`);

runOrderDemoCli({ storage: new FileStorage({ directory }), clock: scaledClock(speed) }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
