/**
 * `npm run approval`: the seed's document approval workflow on durable, embedded file storage,
 * its human tasks decided at the terminal (or by --decide with --auto). Time runs 100× faster
 * (a task due in 2 days is due in about 29 minutes); set WM_DEMO_SPEED to change that and
 * WM_DATA_DIR to choose where state is kept. `npm run approval -- --help` lists the flags.
 */
import path from 'node:path';
import { FileStorage, scaledClock } from '@workflow-mastery/core';
import { bold, runApprovalCli } from './approval-demo-cli.js';

const speed = Number(process.env.WM_DEMO_SPEED ?? 100);
const directory = path.resolve(process.env.WM_DATA_DIR ?? '.workflow-data/document-approval');

process.stdout.write(bold('Workflow Mastery — document approval sample\n'));
process.stdout.write(`storage: file (${path.relative(process.cwd(), directory) || directory}), demo clock ×${speed}\n`);

runApprovalCli({ storage: new FileStorage({ directory }), clock: scaledClock(speed), argv: process.argv.slice(2) }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
