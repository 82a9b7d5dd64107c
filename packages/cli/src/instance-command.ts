/**
 * The shell of the commands that move an instance (signal, complete, pause, resume, cancel, retry):
 * without actions the work they make runnable is handed off; with `--module` actions it runs here
 * until the instance settles again.
 */
import { isTerminal, type InstanceRecord, type WorkflowEngine } from '@workflow-mastery/core';
import { runnableWork } from '@workflow-mastery/core/storage-kit';
import { HANDED_OFF_NOTE } from './cli.messages.js';
import { exitCodeOf } from './instance-exit-code.js';
import { instanceHeadline, waitingHints } from './format/instance-format.js';
import { finishedSteps, ProgressDisplay } from './progress-display.js';
import type { Session } from './session.js';
import { untilInterrupted, WAIT_FOREVER_MS } from './until-interrupted.js';
import { ExitCode } from './cli-error.js';

/** What the command did, for its first line (`paused`, `signal "approved" delivered`...). */
export type Act = (engine: WorkflowEngine) => Promise<{ instance: InstanceRecord; done: string }>;

/** Run `act` and report the instance as it is afterwards (after running its next steps when actions are registered). */
export async function moveInstance(session: Session, act: Act): Promise<number> {
  const sources = await session.sources();
  const runsHere = Object.keys(sources.actions).length > 0;
  const engine = await session.engine(runsHere ? 'run' : 'hand-off', sources);
  const out = session.out;
  let { instance, done } = await act(engine);
  out.line(`${out.c.green('✔')} ${done}`);
  let code: number = ExitCode.Ok;
  if (runsHere && !settled(instance)) {
    const total = Object.keys(engine.getDefinition(instance.definitionName, instance.definitionVersion).steps).length;
    const progress = new ProgressDisplay(out, engine, instance.id, total, finishedSteps(instance));
    try {
      const final = await untilInterrupted(engine.waitFor(instance.id, { timeoutMs: WAIT_FOREVER_MS }));
      if (final === 'interrupted') return ExitCode.Interrupted;
      instance = final;
    } finally {
      progress.stop();
    }
    code = exitCodeOf(instance);
  } else if (!runsHere && hasRunnableWork(instance)) {
    out.note(out.c.dim(`note: ${HANDED_OFF_NOTE}`));
  }
  out.document(instance);
  out.line(instanceHeadline(out, instance));
  for (const line of waitingHints(out, instance, session.hintCommand())) out.line(line);
  return code;
}

function settled(inst: InstanceRecord): boolean {
  return isTerminal(inst.state) || inst.state === 'WAITING' || inst.state === 'PAUSED';
}

function hasRunnableWork(inst: InstanceRecord): boolean {
  return runnableWork(inst).length > 0;
}
