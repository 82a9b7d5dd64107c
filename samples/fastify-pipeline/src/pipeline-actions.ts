/** Copied unchanged from `samples/cicd-pipeline` (the sample packages export no library entry point). */
/**
 * Demo actions of the CI/CD pipeline sample. A suite fails on purpose when the start data asks
 * it to (`simulate.fail`, e.g. `['unit', 'e2e']`), so a run shows each way a release can go wrong:
 * - `unit`, `security`, `integration`, `e2e`: the suite runs and reports `passed: false`
 *   (a finding, not an error: the seed's routes on `tests.passed` decide what happens);
 * - `smoke`: the smoke tests fail the step (it is the last step, nothing routes on its result).
 *
 * Each suite writes its report under its own key (`unit_tests`, `security`, `integration_tests`,
 * `e2e_tests`) and the summary `tests: { passed, failed, suites }` over every report so far. The
 * two parallel suites cannot both update `tests` (step results are merged shallowly, so the last
 * to finish would overwrite the other's summary); the integration tests, which run after the join,
 * recompute it from both reports.
 */
import { createHash } from 'node:crypto';
import { ActionResult, WorkflowAction } from '@workflow-mastery/core';
import type { ActionContext, JsonObject } from '@workflow-mastery/core';
import type { DemoServices } from './demo-services.js';

/** Suites that can be made to fail through `simulate.fail`. */
export const failableSuites = ['unit', 'security', 'integration', 'e2e', 'smoke'] as const;
export type FailableSuite = (typeof failableSuites)[number];

/** What the pipeline builds, as the start data carries it. */
export interface BuildRequest {
  id: string;
  repo: string;
  branch: string;
  requested_by: string;
}

/** Start data of the pipeline. */
export interface PipelineInput {
  build: BuildRequest;
  simulate?: { fail?: FailableSuite[] };
}

/** A suite's report. */
export interface SuiteReport {
  passed: boolean;
  total: number;
  failed: number;
  failures: string[];
}

/** The report keys the `tests` summary is computed from, with their suite names. */
const REPORTS: Record<string, string> = { unit_tests: 'unit', security: 'security', integration_tests: 'integration', e2e_tests: 'e2e' };

const buildOf = (ctx: ActionContext) => ctx.data.build as unknown as BuildRequest;
const fails = (ctx: ActionContext, suite: FailableSuite) => ((ctx.data.simulate as JsonObject | undefined)?.fail as string[] | undefined)?.includes(suite) ?? false;
const commitOf = (ctx: ActionContext) => ctx.data.commit as { sha: string; short: string };

/** `tests`: passed when every report present in `data` (plus `own`) passed. */
export function testSummary(data: Readonly<JsonObject>, ownKey: string, own: SuiteReport): JsonObject {
  const reports = { ...data, [ownKey]: own } as Record<string, unknown>;
  const suites: JsonObject = {};
  for (const [key, suite] of Object.entries(REPORTS)) {
    const report = reports[key] as SuiteReport | undefined;
    if (report) suites[suite] = report.passed;
  }
  const failed = Object.keys(suites).filter((s) => suites[s] === false);
  return { passed: failed.length === 0, failed, suites };
}

/** Base of the demo actions: they share the demo services. */
abstract class DemoAction {
  constructor(protected readonly services: DemoServices) {}
}

/** Base of the test suites: a report under `reportKey`, failing when the start data says so. */
abstract class SuiteAction extends DemoAction {
  protected abstract readonly suite: FailableSuite;
  protected abstract readonly reportKey: string;
  protected abstract readonly total: number;
  protected abstract readonly failures: string[];

  execute(ctx: ActionContext): ActionResult {
    const failing = fails(ctx, this.suite);
    const report: SuiteReport = { passed: !failing, total: this.total, failed: failing ? this.failures.length : 0, failures: failing ? this.failures : [] };
    return ActionResult.success({ [this.reportKey]: report as unknown as JsonObject, tests: testSummary(ctx.data, this.reportKey, report) });
  }
}

@WorkflowAction('checkout_code')
export class CheckoutCodeAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    const build = buildOf(ctx);
    const sha = createHash('sha1').update(`${build.repo}#${build.branch}#${build.id}`).digest('hex');
    return ActionResult.success({ commit: { sha, short: sha.slice(0, 7), repo: build.repo, branch: build.branch } });
  }
}

@WorkflowAction('run_unit_tests')
export class RunUnitTestsAction extends SuiteAction {
  protected readonly suite = 'unit';
  protected readonly reportKey = 'unit_tests';
  protected readonly total = 412;
  protected readonly failures = ['cart.spec.ts › applies a percentage coupon', 'cart.spec.ts › rounds totals to cents'];
}

@WorkflowAction('security_scan')
export class SecurityScanAction extends SuiteAction {
  protected readonly suite = 'security';
  protected readonly reportKey = 'security';
  protected readonly total = 1187;
  protected readonly failures = ['CVE-2024-0001 (high) in left-pad@1.0.0'];
}

@WorkflowAction('run_integration_tests')
export class RunIntegrationTestsAction extends SuiteAction {
  protected readonly suite = 'integration';
  protected readonly reportKey = 'integration_tests';
  protected readonly total = 58;
  protected readonly failures = ['checkout → payment provider sandbox returns 500'];
}

@WorkflowAction('run_e2e_tests')
export class RunE2ETestsAction extends SuiteAction {
  protected readonly suite = 'e2e';
  protected readonly reportKey = 'e2e_tests';
  protected readonly total = 24;
  protected readonly failures = ['staging: guest checkout times out on the payment page'];
}

@WorkflowAction('build_artifacts')
export class BuildArtifactsAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    const commit = commitOf(ctx);
    const image = `registry.example/acme/shop:${commit.short}`;
    const digest = `sha256:${createHash('sha256').update(image).digest('hex')}`;
    this.services.images.set(image, digest);
    return ActionResult.success({ artifact: { image, digest } });
  }
}

@WorkflowAction('rollback_staging')
export class RollbackStagingAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    this.services.staging.rollback(String((ctx.data.staging as JsonObject).deployment));
    return ActionResult.success();
  }
}

@WorkflowAction('deploy_staging', { compensation: 'rollback_staging' })
export class DeployToStagingAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    const image = String((ctx.data.artifact as JsonObject).image);
    const previous = this.services.staging.deploy(ctx.idempotencyKey, image);
    return ActionResult.success({ staging: { url: this.services.staging.url, version: image, previous, deployment: ctx.idempotencyKey } });
  }
}

/** Prepares the release manager's task: asks (by inbox) and records when. */
@WorkflowAction('request_release_approval')
export class ManualApprovalAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    const commit = commitOf(ctx);
    this.services.inbox.push({ to: 'release_manager', subject: `approve release of ${commit.short} (${buildOf(ctx).id}) to production` });
    return ActionResult.success({ approval_gate_requested_at: this.services.now() });
  }
}

@WorkflowAction('rollback_production')
export class RollbackProductionAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    this.services.production.rollback(String((ctx.data.production as JsonObject).deployment));
    return ActionResult.success();
  }
}

@WorkflowAction('deploy_production', { compensation: 'rollback_production' })
export class DeployToProductionAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    const image = String((ctx.data.artifact as JsonObject).image);
    const previous = this.services.production.deploy(ctx.idempotencyKey, image);
    return ActionResult.success({ production: { url: this.services.production.url, version: image, previous, deployment: ctx.idempotencyKey } });
  }
}

@WorkflowAction('run_smoke_tests')
export class RunSmokeTestsAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    const url = this.services.production.url;
    if (fails(ctx, 'smoke')) {
      return ActionResult.failure(`smoke tests failed: GET ${url}/health returned 503`, { retryable: false, code: 'SMOKE_TESTS_FAILED' });
    }
    return ActionResult.success({ smoke: { passed: true, checks: [`GET ${url}/health 200`, `GET ${url}/ 200`, `POST ${url}/api/cart 201`] } });
  }
}

/** Every action of the sample, for `engine.registerActions`. */
export const pipelineActions = [
  CheckoutCodeAction,
  RunUnitTestsAction,
  SecurityScanAction,
  RunIntegrationTestsAction,
  BuildArtifactsAction,
  DeployToStagingAction,
  RollbackStagingAction,
  RunE2ETestsAction,
  ManualApprovalAction,
  DeployToProductionAction,
  RollbackProductionAction,
  RunSmokeTestsAction,
];
