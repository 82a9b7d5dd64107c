/**
 * Every command of `workflow-mastery`, in help order. A command is one file in this folder; adding
 * one (e.g. `worker.ts`) is that file plus one line here.
 */
import type { CliCommand } from '../command.types.js';
import { cancelCommand } from './cancel.js';
import { completeCommand } from './complete.js';
import { historyCommand } from './history.js';
import { diagramCommand } from './diagram.js';
import { listCommand } from './list.js';
import { migrateCommand } from './migrate.js';
import { pauseCommand } from './pause.js';
import { resumeCommand } from './resume.js';
import { retryCommand } from './retry.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';
import { signalCommand } from './signal.js';
import { startCommand } from './start.js';
import { statusCommand } from './status.js';
import { tasksCommand } from './tasks.js';
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
  migrateCommand,
  serveCommand,
  workerCommand,
];
