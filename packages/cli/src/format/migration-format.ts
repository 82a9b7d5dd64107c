/** How the migration commands print a plan (one instance) and a summary (many). */
import type { WorkflowEngine } from '@workflow-mastery/core';
import type { Output } from '../output.js';
import { paintState } from './state-color.js';
import { formatTime } from './time-format.js';

/** One instance's migration plan (core's `MigrationPlan`). */
export type MigrationPlan = Awaited<ReturnType<WorkflowEngine['migrateInstance']>>;
/** One page of a bulk migration (core's `BulkMigrationPage`). */
export type BulkMigrationPage = Awaited<ReturnType<WorkflowEngine['migrateInstances']>>;

const arrow = (from: string, to: string) => (from === to ? from : `${from} → ${to}`);

/** A timer's move: `null` on one side when the migration arms or disarms it. */
const timerMove = (from: string | null, to: string | null) => (from === null ? `${to} (armed)` : to === null ? `${from} (disarmed)` : arrow(from, to));

/** The lines of one instance's plan: where each step, task, timer and signal goes. */
export function planLines(out: Output, plan: MigrationPlan): string[] {
  const c = out.c;
  const lines = [`${c.bold(plan.instanceId)}  ${plan.definitionName} v${plan.fromVersion} → v${plan.toVersion}  ${paintState(c, plan.state)}`];
  const open = plan.steps.filter((s) => s.open);
  const closed = plan.steps.filter((s) => !s.open);
  if (open.length > 0) lines.push(`  open steps:  ${open.map((s) => `${arrow(s.from, s.to)} (${paintState(c, s.status)})`).join(', ')}`);
  if (closed.length > 0) lines.push(`  done steps:  ${closed.map((s) => arrow(s.from, s.to)).join(', ')}`);
  if (plan.tasks.length > 0) lines.push(`  tasks:       ${plan.tasks.map((t) => arrow(t.from, t.to)).join(', ')}`);
  if (plan.timers.length > 0) lines.push(`  timers:      ${plan.timers.map((t) => `${timerMove(t.from, t.to)} (${t.kind}, fires ${formatTime(t.fireAt)})`).join(', ')}`);
  if (plan.signals.length > 0) {
    lines.push(`  signals:     ${plan.signals.map((s) => `${s.name} → ${s.waitingSteps.length ? `awaited by ${s.waitingSteps.join(', ')}` : 'stays buffered (no step of the target waits for it)'}`).join(', ')}`);
  }
  if (plan.dropped.length > 0) lines.push(`  ${c.yellow('dropped:')}     ${plan.dropped.join(', ')} ${c.dim('(not in the target; their results stay in the data)')}`);
  if (plan.unreachable.length > 0) lines.push(`  unreachable: ${plan.unreachable.join(', ')} ${c.dim('(no route reaches them from where it is)')}`);
  return lines;
}

/** What a dry run over every page found: counts, where open steps go, and the refusals. */
export interface BulkSummary {
  name: string;
  fromVersion: string;
  toVersion: string;
  /** Instances that would move. */
  instances: number;
  /** `from → to` of open steps, with how many instances have each. */
  openSteps: Array<{ from: string; to: string; instances: number }>;
  /** Completed steps that the target lacks, with counts. */
  dropped: Array<{ step: string; instances: number }>;
  refused: BulkMigrationPage['refused'];
}

/** An empty summary to add pages to. */
export function emptySummary(name: string, fromVersion: string, toVersion: string): BulkSummary {
  return { name, fromVersion, toVersion, instances: 0, openSteps: [], dropped: [], refused: [] };
}

/** Add one dry-run page to `summary`. */
export function addPage(summary: BulkSummary, page: BulkMigrationPage): void {
  summary.instances += page.migrated.length;
  summary.refused.push(...page.refused);
  for (const plan of page.migrated) {
    for (const s of plan.steps.filter((x) => x.open)) {
      const found = summary.openSteps.find((o) => o.from === s.from && o.to === s.to);
      if (found) found.instances += 1;
      else summary.openSteps.push({ from: s.from, to: s.to, instances: 1 });
    }
    for (const step of plan.dropped) {
      const found = summary.dropped.find((d) => d.step === step);
      if (found) found.instances += 1;
      else summary.dropped.push({ step, instances: 1 });
    }
  }
}

/** The summary as lines; refusals beyond `maxRefusals` are counted, not listed. */
export function summaryLines(out: Output, summary: BulkSummary, maxRefusals = 20): string[] {
  const c = out.c;
  const plural = (n: number) => `${n} instance${n === 1 ? '' : 's'}`;
  const lines = [`${c.bold(`${summary.name} v${summary.fromVersion} → v${summary.toVersion}`)}: ${plural(summary.instances)} to migrate, ${summary.refused.length} refused`];
  if (summary.openSteps.length > 0) {
    lines.push('  open steps go:');
    for (const o of summary.openSteps) lines.push(`    ${arrow(o.from, o.to).padEnd(30)} ${plural(o.instances)}`);
  }
  if (summary.dropped.length > 0) {
    lines.push(`  ${c.yellow('dropped')} (done steps the target lacks; results stay in the data):`);
    for (const d of summary.dropped) lines.push(`    ${d.step.padEnd(30)} ${plural(d.instances)}`);
  }
  if (summary.refused.length > 0) {
    lines.push(`  ${c.red('refused')} (they stay on v${summary.fromVersion}, unchanged):`);
    for (const r of summary.refused.slice(0, maxRefusals)) lines.push(`    ${r.instanceId}: ${r.message} [${r.code}]`);
    if (summary.refused.length > maxRefusals) lines.push(c.dim(`    ... and ${summary.refused.length - maxRefusals} more (--json lists all)`));
  }
  return lines;
}
