/**
 * `npm run pipeline`: the seed's CI/CD pipeline workflow on durable, embedded file storage, its
 * approval gate decided at the terminal (or by --decide with --auto). Time runs 100× faster (the
 * gate's 24h due time is about 15 minutes); set WM_DEMO_SPEED to change that and WM_DATA_DIR to
 * choose where state is kept. `npm run pipeline -- --help` lists the flags.
 */
import path from 'node:path';
import { FileStorage, scaledClock } from '@workflow-mastery/core';
import { bold, runPipelineCli } from './pipeline-demo-cli.js';

const speed = Number(process.env.WM_DEMO_SPEED ?? 100);
const directory = path.resolve(process.env.WM_DATA_DIR ?? '.workflow-data/cicd-pipeline');

process.stdout.write(bold('Workflow Mastery — CI/CD pipeline sample\n'));
process.stdout.write(`storage: file (${path.relative(process.cwd(), directory) || directory}), demo clock ×${speed}\n`);

runPipelineCli({ storage: new FileStorage({ directory }), clock: scaledClock(speed), argv: process.argv.slice(2) }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
