/**
 * Every command of `workflow-mastery`, in help order. A command is one file in this folder; adding
 * one (e.g. `worker.ts`) is that file plus one line here.
 */
import type { CliCommand } from '../command.types.js';
import { cancelCommand } from './cancel.js';
import { completeCommand } from './complete.js';
import { definitionsCommand } from './definitions.js';
import { deployCommand } from './deploy.js';
import { historyCommand } from './history.js';
import { diagramCommand } from './diagram.js';
import { listCommand } from './list.js';
import { migrateCommand } from './migrate.js';
import { migrateInstanceCommand } from './migrate-instance.js';
import { migrateInstancesCommand } from './migrate-instances.js';
import { pauseCommand } from './pause.js';
import { purgeCommand } from './purge.js';
import { reencryptCommand } from './reencrypt.js';
import { resumeCommand } from './resume.js';
import { retryCommand } from './retry.js';
import { retryFromCommand } from './retry-from.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';
import { signalCommand } from './signal.js';
import { skipStepCommand } from './skip-step.js';
import { startCommand } from './start.js';
import { statusCommand } from './status.js';
import { tasksCommand } from './tasks.js';
import { updateDataCommand } from './update-data.js';
import { workerCommand } from './worker.js';

/** The registered commands. */
export const COMMANDS: readonly CliCommand[] = [
  runCommand,
  startCommand,
  statusCommand,
  listCommand,
  historyCommand,
  diagramCommand,
  signalCommand,
  tasksCommand,
  completeCommand,
  pauseCommand,
  resumeCommand,
  cancelCommand,
  retryCommand,
  retryFromCommand,
  skipStepCommand,
  updateDataCommand,
  deployCommand,
  definitionsCommand,
  migrateInstanceCommand,
  migrateInstancesCommand,
  migrateCommand,
  reencryptCommand,
  purgeCommand,
  serveCommand,
  workerCommand,
];
