/**
 * The console front of the sample: flags, the approval gate (prompted on a terminal, scripted
 * otherwise), progress lines, then the path taken, the environments and the final state.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { Clock } from '@workflow-mastery/core';
import type { BuildRequest, FailableSuite } from './pipeline-actions.js';
import { failableSuites } from './pipeline-actions.js';
import type { PipelineDemoOptions, ScriptedDecision } from './pipeline-demo.js';
import { buildLabel, defaultBuild, runPipelineDemo, scriptedDecisions, taskDetails } from './pipeline-demo.js';
import { cyan, dim, green, red } from '@workflow-mastery/sample-kit';
import type { Decider } from '@workflow-mastery/sample-kit';

export const bold = (s: string) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001b[1m${s}\u001b[0m` : s);

export const usage = `Usage: npm run pipeline -- [options]

Runs one build through the seed's CI/CD pipeline: unit tests and a security scan in parallel,
integration tests, build, staging, e2e tests, a release manager's approval, production, smoke
tests. On a terminal you are asked to approve the release; with --auto, or when stdin is not a
terminal, the decision comes from --decide. Any failure rolls back what was deployed and
notifies the slack and pagerduty channels.

  --fail <suites>      make suites fail: ${failableSuites.join(', ')} (comma-separated)
  --decide <list>      approval_gate=approve|reject                        (default: approve)
  --build <id>         build id                                            (default: ${defaultBuild.id})
  --repo <repo>        repository                                          (default: ${defaultBuild.repo})
  --branch <branch>    branch                                              (default: ${defaultBuild.branch})
  --auto               never prompt, even on a terminal
  -h, --help           this help

Examples:
  npm run pipeline -- --auto
  npm run pipeline -- --fail e2e --auto                      (staging rolled back)
  npm run pipeline -- --decide approval_gate=reject --auto   (staging rolled back)
  npm run pipeline -- --fail smoke --auto                    (production, then staging rolled back)
  npm run pipeline -- --fail unit --auto                     (no route after integration tests)`;

/** A wrong flag: reported with the usage, exit code 2. */
export class UsageError extends Error {}

/** Parsed command line. */
export interface PipelineArgs {
  build: BuildRequest;
  fail: FailableSuite[];
  approval?: ScriptedDecision;
  auto: boolean;
  help: boolean;
}

/** Parse the sample's flags (node:util parseArgs). */
export function parsePipelineArgs(argv: string[]): PipelineArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        fail: { type: 'string', multiple: true },
        decide: { type: 'string', multiple: true },
        build: { type: 'string' },
        repo: { type: 'string' },
        branch: { type: 'string' },
        auto: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const list = (items: string[] | undefined) => (items ?? []).flatMap((l) => l.split(',')).map((s) => s.trim()).filter(Boolean);
  const fail = list(values.fail);
  for (const suite of fail) {
    if (!failableSuites.includes(suite as FailableSuite)) throw new UsageError(`--fail: "${suite}" is not a suite; use ${failableSuites.join(', ')}`);
  }
  let approval: ScriptedDecision | undefined;
  for (const item of list(values.decide)) {
    const [step, decision] = item.split('=').map((s) => s.trim());
    if (step !== 'approval_gate') throw new UsageError(`--decide: "${step}" is not a human task step; the pipeline has one: approval_gate`);
    if (decision !== 'approve' && decision !== 'reject') throw new UsageError(`--decide approval_gate: say approve or reject, got "${decision ?? ''}"`);
    approval = decision;
  }
  return {
    build: { ...defaultBuild, ...(values.build ? { id: values.build } : {}), ...(values.repo ? { repo: values.repo } : {}), ...(values.branch ? { branch: values.branch } : {}) },
    fail: [...new Set(fail as FailableSuite[])],
    ...(approval ? { approval } : {}),
    auto: values.auto,
    help: values.help,
  };
}

/** Options of {@link runPipelineCli}. */
export interface PipelineCliOptions extends Pick<PipelineDemoOptions, 'storage' | 'logger'> {
  clock: Clock;
  argv: string[];
  /** Ask on the terminal (unless --auto). @defaultValue stdin is a TTY */
  interactive?: boolean;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** Run the sample, print it, and return the exit code (0 when the run ended as its script implies). */
export async function runPipelineCli(options: PipelineCliOptions): Promise<number> {
  const output = options.output ?? process.stdout;
  const out = (line: string) => void output.write(`${line}\n`);
  let args: PipelineArgs;
  try {
    args = parsePipelineArgs(options.argv);
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
  const interactive = !args.auto && !args.approval && (options.interactive ?? Boolean(process.stdin.isTTY));
  const scripted = scriptedDecisions(args.approval ? { approval_gate: args.approval } : {});
  const rl = interactive ? createInterface({ input: options.input ?? process.stdin, output }) : undefined;
  // Ctrl-C at a prompt stops the run; the instance stays in storage, waiting at its open task.
  const interrupt = new AbortController();
  rl?.on('SIGINT', () => interrupt.abort(new Error('interrupted')));
  out(`failing on purpose: ${args.fail.length ? args.fail.join(', ') : 'nothing'}`);
  out(`approval gate: ${interactive ? 'you decide (answer a or r)' : `scripted (${args.approval ?? 'approve'})`}\n`);

  const prompt: Decider = async (view, signal) => {
    out('');
    out(cyan(`┌ ${view.task.stepId}: a task for ${view.task.assignedTo}`));
    for (const line of taskDetails(view, options.clock.now())) out(`│ ${line}`);
    for (;;) {
      const answer = (await rl!.question('└ release to production? approve or reject [a/r] ', { signal: AbortSignal.any([signal, interrupt.signal]) })).trim().toLowerCase();
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
    const outcome = await runPipelineDemo({
      ...(options.storage ? { storage: options.storage } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      clock: options.clock,
      build: args.build,
      fail: args.fail,
      decide: interactive ? prompt : scripted,
      write: out,
      // A person may take a while; the gate's 24h due time still applies.
      ...(interactive ? { timeoutMs: 2 ** 31 - 1 } : {}),
    });
    const { instance, path, expected, services } = outcome;
    out('');
    out(bold(`Path taken (${buildLabel(instance.data)})`));
    out(`  ${path.join(' → ')}`);
    const state = instance.state === 'COMPLETED' ? green(instance.state) : red(instance.state);
    const saga = instance.compensation ? ` (rollback ${instance.compensation.status.toLowerCase()})` : '';
    out(`Final state: ${state}${saga}${instance.error ? ` — ${instance.error.code ?? 'error'}: ${instance.error.message}` : ''}`);
    out(dim(`  staging runs ${services.staging.current}; production runs ${services.production.current}`));
    if (outcome.resumed) out(dim('  (the demo environments live in memory: deploys made before the interruption are not shown)'));
    out(dim(`  notified: ${outcome.notified.length ? outcome.notified.join(', ') : 'nobody'}; in ${Date.now() - started} ms`));
    if (!outcome.asExpected) {
      out(red(`unexpected: expected ${expected.state}${expected.errorCode ? ` (${expected.errorCode})` : ''} with rollbacks [${expected.compensations.join(', ')}]: ${expected.because}`));
      return 1;
    }
    out(green(`ended as designed: ${expected.because}`));
    return 0;
  } catch (error) {
    if (!interrupt.signal.aborted) throw error;
    out('');
    out(`interrupted: the instance stays in storage at its open task; run \`npm run pipeline\` again to resume it`);
    return 130;
  } finally {
    rl?.close();
  }
}
