/**
 * The console front of the sample: flags, the human tasks (prompted on a terminal, scripted
 * otherwise), progress lines, then the path taken and the final state.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { Clock, JsonObject } from '@workflow-mastery/core';
import type { ApprovalDemoOptions, ScriptedDecision } from './approval-demo.js';
import { defaultDocument, documentLabel, runApprovalDemo, scriptedDecisions, taskDetails } from './approval-demo.js';
import type { DocumentInput } from './document-actions.js';
import { documentProblems } from './document-actions.js';
import type { ApprovalTaskStep } from './document-approval.workflow.js';
import { approvalTaskSteps } from './document-approval.workflow.js';
import { cyan, dim, green, red } from '@workflow-mastery/sample-kit';
import type { Decider } from '@workflow-mastery/sample-kit';

export const bold = (s: string) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001b[1m${s}\u001b[0m` : s);

export const usage = `Usage: npm run approval -- [options]

Submits one document to the seed's document approval workflow and drives its human tasks: on a
terminal you are asked to approve or reject each task as it opens (except the steps --decide
answers); with --auto, or when stdin is not a terminal, the decisions come from --decide.

  --type <type>        document type; "contract" gets a legal review      (default: ${defaultDocument.type})
  --value <n>          document value; above 100000 gets a compliance review (default: ${defaultDocument.value})
  --title <text>       document title                                     (default: ${defaultDocument.title})
  --id <id>            document id                                        (default: ${defaultDocument.id})
  --author <name>      who submits it                                     (default: ${defaultDocument.author})
  --decide <list>      step=approve|reject,... for ${approvalTaskSteps.join(', ')}
                       (unscripted tasks are approved; final_approval follows the reviewers)
  --auto               never prompt, even on a terminal
  -h, --help           this help

Examples:
  npm run approval -- --auto
  npm run approval -- --type contract --value 250000 --decide initial_review=approve,legal_review=approve,compliance_review=approve,final_approval=approve
  npm run approval -- --type memo --value 500 --auto        (both parallel reviews skipped)
  npm run approval -- --decide initial_review=reject --auto  (→ reject_document)
  npm run approval -- --decide final_approval=reject --auto  (FAILED: WF_NO_ROUTE, as the seed is written)`;

/** A wrong flag: reported with the usage, exit code 2. */
export class UsageError extends Error {}

/** Parsed command line. */
export interface ApprovalArgs {
  document: DocumentInput;
  decisions: Partial<Record<ApprovalTaskStep, ScriptedDecision>>;
  auto: boolean;
  help: boolean;
}

/** Parse the sample's flags (node:util parseArgs). */
export function parseApprovalArgs(argv: string[]): ApprovalArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        type: { type: 'string' },
        value: { type: 'string' },
        title: { type: 'string' },
        id: { type: 'string' },
        author: { type: 'string' },
        decide: { type: 'string', multiple: true },
        auto: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const value = values.value === undefined ? defaultDocument.value : Number(values.value);
  if (values.value?.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--value must be a number, got "${values.value}"`);
  const document: DocumentInput = {
    id: values.id ?? defaultDocument.id,
    title: values.title ?? defaultDocument.title,
    type: values.type ?? defaultDocument.type,
    value,
    author: values.author ?? defaultDocument.author,
  };
  const problems = documentProblems(document);
  if (problems.length) throw new UsageError(`the document would be refused at submission: ${problems.join('; ')}`);
  return {
    document,
    decisions: parseDecisions(values.decide ?? []),
    auto: values.auto,
    help: values.help,
  };
}

/** `initial_review=approve,final_approval=reject` (possibly repeated) → decisions by step. */
export function parseDecisions(lists: string[]): Partial<Record<ApprovalTaskStep, ScriptedDecision>> {
  const out: Partial<Record<ApprovalTaskStep, ScriptedDecision>> = {};
  for (const item of lists.flatMap((l) => l.split(',')).map((s) => s.trim()).filter(Boolean)) {
    const [step, decision] = item.split('=').map((s) => s.trim());
    if (!approvalTaskSteps.includes(step as ApprovalTaskStep)) {
      throw new UsageError(`--decide: "${step}" is not a human task step; use one of ${approvalTaskSteps.join(', ')}`);
    }
    if (decision !== 'approve' && decision !== 'reject') throw new UsageError(`--decide ${step}: say approve or reject, got "${decision ?? ''}"`);
    out[step as ApprovalTaskStep] = decision;
  }
  return out;
}

/** Options of {@link runApprovalCli}. */
export interface ApprovalCliOptions extends Pick<ApprovalDemoOptions, 'storage' | 'logger'> {
  clock: Clock;
  argv: string[];
  /** Ask on the terminal (unless --auto). @defaultValue stdin is a TTY */
  interactive?: boolean;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** Run the sample, print it, and return the exit code (0 when the run ended as its decisions imply). */
export async function runApprovalCli(options: ApprovalCliOptions): Promise<number> {
  const output = options.output ?? process.stdout;
  const out = (line: string) => void output.write(`${line}\n`);
  let args: ApprovalArgs;
  try {
    args = parseApprovalArgs(options.argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    out(red(error.message));
    out(usage);
    return 2;
  }
  if (args.help) {
    out(usage);
    return 0;
  }
  const interactive = !args.auto && (options.interactive ?? Boolean(process.stdin.isTTY));
  const scripted = scriptedDecisions(args.decisions);
  const rl = interactive ? createInterface({ input: options.input ?? process.stdin, output }) : undefined;
  // Ctrl-C at a prompt stops the run; the instance stays in storage, waiting at its open task.
  const interrupt = new AbortController();
  rl?.on('SIGINT', () => interrupt.abort(new Error('interrupted')));
  out(`human tasks: ${interactive ? 'you decide each one as it opens (answer a or r)' : 'scripted decisions (--decide; the rest approve)'}\n`);

  const prompt: Decider = async (view, signal) => {
    if (args.decisions[view.task.stepId as ApprovalTaskStep]) return scripted(view, signal);
    out('');
    out(cyan(`┌ ${view.task.stepId}: a task for ${view.task.assignedTo}`));
    for (const line of taskDetails(view, options.clock.now())) out(`│ ${line}`);
    for (;;) {
      const answer = (await rl!.question('└ approve or reject? [a/r] ', { signal: AbortSignal.any([signal, interrupt.signal]) })).trim().toLowerCase();
      const approve = ['a', 'approve', 'y', 'yes'].includes(answer) ? true : ['r', 'reject', 'n', 'no'].includes(answer) ? false : undefined;
      if (approve === undefined) {
        out('  answer a (approve) or r (reject)');
        continue;
      }
      const comment = (await rl!.question('  comment (optional): ', { signal: AbortSignal.any([signal, interrupt.signal]) })).trim();
      out('');
      return { approve, ...(comment ? { comment } : {}) };
    }
  };

  const started = Date.now();
  try {
    const outcome = await runApprovalDemo({
      ...(options.storage ? { storage: options.storage } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      clock: options.clock,
      document: args.document,
      decide: interactive ? prompt : scripted,
      write: out,
      // A person may take a while between two tasks; the engine's due times still apply.
      ...(interactive ? { timeoutMs: 2 ** 31 - 1 } : {}),
    });
    const { instance, path, expected } = outcome;
    const data = instance.data;
    out('');
    out(bold(`Path taken (${documentLabel(data)})`));
    out(`  ${path.join(' → ')}`);
    const state = instance.state === 'COMPLETED' ? green(instance.state) : red(instance.state);
    out(`Final state: ${state}${instance.error ? ` (${instance.error.code ?? 'error'}): ${instance.error.message}` : ''}`);
    out(dim(`  ${ending(data)}, in ${Date.now() - started} ms`));
    if (!outcome.asExpected) {
      out(red(`unexpected: expected ${expected.state}${expected.errorCode ? ` (${expected.errorCode})` : ''}${expected.lastStep ? ` ending at ${expected.lastStep}` : ''}: ${expected.because}`));
      return 1;
    }
    out(green(`ended as designed: ${expected.because}`));
    return 0;
  } catch (error) {
    if (!interrupt.signal.aborted) throw error;
    out('');
    out(`interrupted: the instance stays in storage at its open task; run \`npm run approval\` again to resume it`);
    return 130;
  } finally {
    rl?.close();
  }
}

/** One line on where the document ended up. */
function ending(data: JsonObject): string {
  const doc = (data.document ?? {}) as JsonObject;
  const archive = data.archive as JsonObject | undefined;
  const rejection = data.rejection as JsonObject | undefined;
  if (archive) return `document ${String(doc.id)} archived at ${String(archive.location)}`;
  if (rejection) return `document ${String(doc.id)} rejected by ${String(rejection.by)}: ${String(rejection.reason)}; author notified`;
  return `document ${String(doc.id)} left ${String(doc.status ?? 'unsubmitted')}`;
}
