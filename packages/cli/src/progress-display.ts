/**
 * Progress of one instance while `run` waits for it: a cli-progress bar (steps done / total, current
 * step) on a TTY, one plain line per step otherwise, nothing with `--json`.
 */
import cliProgress from 'cli-progress';
import type { InstanceRecord, WorkflowEngine, WorkflowEvent } from '@workflow-mastery/core';
import { describeEvent } from './format/event-format.js';
import type { Output } from './output.js';

/** Events worth a line of their own. */
const NOTABLE = new Set(['step.completed', 'step.skipped', 'step.retrying', 'step.failed', 'step.waiting', 'task.opened', 'signal.received', 'compensation.started', 'compensation.step_completed', 'compensation.step_failed']);

/** Steps of `instance` already done (completed or skipped), for following it part-way. */
export function finishedSteps(instance: InstanceRecord): string[] {
  return Object.entries(instance.steps)
    .filter(([, s]) => s.status === 'COMPLETED' || s.status === 'SKIPPED')
    .map(([id]) => id);
}

/** Follows one instance's engine events until {@link stop}. */
export class ProgressDisplay {
  private readonly done = new Set<string>();
  private current = '';
  private readonly unsubscribe: () => void;
  private readonly bars?: cliProgress.MultiBar;
  private readonly bar?: cliProgress.SingleBar;

  constructor(
    private readonly out: Output,
    engine: WorkflowEngine,
    private readonly instanceId: string,
    private readonly total: number,
    /** Steps already done when following starts (an instance moved on by a command). */
    alreadyDone: Iterable<string> = [],
  ) {
    for (const step of alreadyDone) this.done.add(step);
    if (!out.json && out.interactive) {
      this.bars = new cliProgress.MultiBar(
        {
          stream: out.streams.stdout as NodeJS.WriteStream,
          format: `${out.c.cyan('{bar}')} {value}/{total} steps | {step}`,
          hideCursor: true,
          clearOnComplete: true,
          stopOnComplete: false,
          forceRedraw: true,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar = this.bars.create(total, this.done.size, { step: 'starting' });
    }
    this.unsubscribe = engine.on('*', (e) => {
      if (e.instanceId === this.instanceId) this.onEvent(e);
    });
  }

  private onEvent(e: WorkflowEvent): void {
    const step = e.stepId ?? '';
    if (e.type === 'step.started' && e.data?.kind !== 'compensation') this.current = step;
    if ((e.type === 'step.completed' || e.type === 'step.skipped') && step) this.done.add(step);
    if (NOTABLE.has(e.type)) this.print(`${this.mark(e.type)} ${step ? `${this.out.c.bold(step)} ` : ''}${describeEvent(e)}`);
    this.bar?.update(this.done.size, { step: this.current });
  }

  private mark(type: string): string {
    const c = this.out.c;
    if (type === 'step.completed') return c.green('✔');
    if (type === 'step.skipped') return c.dim('↷');
    if (type === 'step.failed' || type === 'compensation.step_failed') return c.red('✖');
    if (type.startsWith('compensation')) return c.yellow('↩');
    return c.yellow('•');
  }

  private print(text: string): void {
    if (this.out.json) return;
    const line = `[${this.done.size}/${this.total}] ${text}`;
    if (this.bars) this.bars.log(`${line}\n`);
    else this.out.line(line);
  }

  /** Stop following and remove the bar. */
  stop(): void {
    this.unsubscribe();
    if (this.bars) {
      this.bar?.update(this.done.size, { step: '' });
      // Render once more so that lines logged since the last frame are written before the bar goes.
      this.bars.update();
      this.bars.stop();
    }
  }
}
