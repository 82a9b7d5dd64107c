/** Copied unchanged from `samples/cicd-pipeline` (the sample packages export no library entry point). */
/**
 * The seed's CI/CD pipeline workflow (design document, section 7.3), ported as it stands: same
 * steps, keys, timeouts, compensations, transitions and error handling. Added, and only this:
 * - the parallel group is named `parallel_tests`: the seed lists it bare
 *   (`[['run_unit_tests', 'security_scan']]`) while its transitions already use that name.
 *
 * Consequences of the seed as written, kept on purpose (the tests pin them):
 * - Only `tests.passed === true` routes on from `run_integration_tests` and `run_e2e_tests`, and
 *   only `approved === true` from `approval_gate`. Failed tests or a denied approval match no
 *   transition: the run FAILS with WF_NO_ROUTE naming the condition.
 * - The parallel tests do not route: `join: 'all'` fires once both are done, so integration tests
 *   run even after failed unit tests or a failed scan; the failure surfaces in `tests.passed`
 *   after them (nothing is deployed yet, so nothing is rolled back).
 * - `on_failure: compensate_and_notify`: every failure unwinds what was deployed, newest first
 *   (`rollback_production`, then `rollback_staging`), then notifies the `slack` and `pagerduty`
 *   channels. The approval gate's `timeout` is the task's due time and nothing escalates, so an
 *   approval not given within 24h fails the run (WF_TIMEOUT) and rolls staging back.
 * - `smoke_tests` is the last step: its failure is the step's own (not a route), and it rolls
 *   back production and staging.
 */
import type { WorkflowDefinitionInput } from '@workflow-mastery/core';
import {
  BuildArtifactsAction,
  CheckoutCodeAction,
  DeployToProductionAction,
  DeployToStagingAction,
  ManualApprovalAction,
  RollbackProductionAction,
  RollbackStagingAction,
  RunE2ETestsAction,
  RunIntegrationTestsAction,
  RunSmokeTestsAction,
  RunUnitTestsAction,
  SecurityScanAction,
} from './pipeline-actions.js';

/** `CICDPipelineWorkflow::getDefinition()` of the seed. */
export const cicdPipelineWorkflow = {
  name: 'cicd_pipeline',
  version: '3.0',
  steps: {
    checkout_code: {
      action: CheckoutCodeAction,
    },
    run_unit_tests: {
      action: RunUnitTestsAction,
      timeout: '10m',
    },
    run_integration_tests: {
      action: RunIntegrationTestsAction,
      timeout: '20m',
    },
    security_scan: {
      action: SecurityScanAction,
      timeout: '15m',
    },
    build_artifacts: {
      action: BuildArtifactsAction,
      timeout: '30m',
    },
    deploy_staging: {
      action: DeployToStagingAction,
      compensation: RollbackStagingAction,
    },
    run_e2e_tests: {
      action: RunE2ETestsAction,
      timeout: '45m',
    },
    approval_gate: {
      action: ManualApprovalAction,
      timeout: '24h',
      assigned_to: 'release_manager',
    },
    deploy_production: {
      action: DeployToProductionAction,
      compensation: RollbackProductionAction,
    },
    smoke_tests: {
      action: RunSmokeTestsAction,
      timeout: '5m',
    },
  },
  parallel_groups: {
    // The seed's bare group, named as its transitions call it:
    parallel_tests: ['run_unit_tests', 'security_scan'],
  },
  transitions: [
    { from: 'checkout_code', to: 'parallel_tests' },
    { from: 'parallel_tests', to: 'run_integration_tests', join: 'all' },
    { from: 'run_integration_tests', to: 'build_artifacts', condition: 'tests.passed === true' },
    { from: 'build_artifacts', to: 'deploy_staging' },
    { from: 'deploy_staging', to: 'run_e2e_tests' },
    { from: 'run_e2e_tests', to: 'approval_gate', condition: 'tests.passed === true' },
    { from: 'approval_gate', to: 'deploy_production', condition: 'approved === true' },
    { from: 'deploy_production', to: 'smoke_tests' },
  ],
  error_handling: {
    on_failure: 'compensate_and_notify',
    notification_channels: ['slack', 'pagerduty'],
  },
} satisfies WorkflowDefinitionInput;
