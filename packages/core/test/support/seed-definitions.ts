/**
 * The seed's three workflow definitions (order processing, document approval, CI/CD pipeline) as
 * JSON with action classes or names, for the definition parser's specs: "as written" where the seed
 * has mistakes the parser must report, fixed where they must compile.
 */

/** The action class of validate_order (a spec checks that the input keeps it). */
export class ValidateOrderAction {}
class FraudCheckAction {}
class ReserveInventoryAction {}
class ReleaseInventoryAction {}
class ProcessPaymentAction {}
class RefundPaymentAction {}
class CreateShipmentAction {}
class SendOrderConfirmationAction {}
const actionNames = new Map<Function, string>([
  [ValidateOrderAction, 'validate_order'],
  [FraudCheckAction, 'check_fraud'],
  [ReserveInventoryAction, 'reserve_inventory'],
  [ReleaseInventoryAction, 'release_inventory'],
  [ProcessPaymentAction, 'process_payment'],
  [RefundPaymentAction, 'refund_payment'],
  [CreateShipmentAction, 'create_shipment'],
  [SendOrderConfirmationAction, 'send_order_confirmation'],
]);
/** The registered name of each action class above, as an engine resolves it. */
export const resolveActionName = (ref: Function): string | undefined => actionNames.get(ref);

/** The seed's order processing, as written (it never defines send_rejection and manual_review). */
export const orderProcessingAsWritten = () => ({
  name: 'order_processing',
  version: '2.0',
  steps: {
    validate_order: { action: ValidateOrderAction, timeout: '30s', retry_attempts: 3 },
    check_fraud: { action: FraudCheckAction, timeout: '2m', conditions: ['order.total > 1000'] },
    reserve_inventory: { action: ReserveInventoryAction, compensation: ReleaseInventoryAction },
    process_payment: { action: ProcessPaymentAction, compensation: RefundPaymentAction, retry_attempts: 5, retry_delay: '30s' },
    create_shipment: { action: CreateShipmentAction },
    send_notification: { action: SendOrderConfirmationAction, async: true },
  } as Record<string, Record<string, unknown>>,
  transitions: [
    { from: 'validate_order', to: 'check_fraud', condition: 'order.valid === true' },
    { from: 'validate_order', to: 'send_rejection', condition: 'order.valid === false' },
    { from: 'check_fraud', to: 'reserve_inventory', condition: 'fraud.risk < 0.7' },
    { from: 'check_fraud', to: 'manual_review', condition: 'fraud.risk >= 0.7' },
    { from: 'reserve_inventory', to: 'process_payment' },
    { from: 'process_payment', to: 'create_shipment', condition: 'payment.success === true' },
    { from: 'create_shipment', to: 'send_notification' },
  ],
  error_handling: { on_failure: 'compensate', notification_channels: ['email', 'slack'] },
});

/** The seed's order processing with send_rejection and manual_review added: it compiles. */
export const orderProcessing = () => {
  const def = orderProcessingAsWritten();
  def.steps.send_rejection = { action: 'send_rejection' };
  def.steps.manual_review = { action: 'manual_review', assigned_to: 'fraud_team' };
  return def;
};

/** The seed's document approval, as written: bare group, no reject_document step. */
export const documentApprovalAsWritten = (): Record<string, unknown> & { steps: Record<string, unknown> } => ({
  name: 'document_approval',
  version: '1.5',
  steps: {
    submit_document: { action: 'submit_document' },
    initial_review: { action: 'initial_review', assigned_to: 'manager_role', timeout: '2d' },
    legal_review: { action: 'legal_review', assigned_to: 'legal_team', timeout: '5d', conditions: ['document.type === "contract"'] },
    compliance_review: { action: 'compliance_review', assigned_to: 'compliance_team', timeout: '3d', conditions: ['document.value > 100000'] },
    final_approval: { action: 'final_approval', assigned_to: 'executive_role', timeout: '1d' },
    archive_document: { action: 'archive_document' },
  },
  parallel_groups: [['legal_review', 'compliance_review']],
  transitions: [
    { from: 'submit_document', to: 'initial_review' },
    { from: 'initial_review', to: 'parallel_reviews', condition: 'review.approved === true' },
    { from: 'initial_review', to: 'reject_document', condition: 'review.approved === false' },
    { from: 'parallel_reviews', to: 'final_approval', join: 'all' },
    { from: 'final_approval', to: 'archive_document', condition: 'approval.granted === true' },
  ],
});

/** The seed's document approval with reject_document and the group named parallel_reviews: it compiles. */
export const documentApproval = () => {
  const def = documentApprovalAsWritten();
  def.steps.reject_document = { action: 'reject_document' };
  def.parallel_groups = { parallel_reviews: ['legal_review', 'compliance_review'] };
  return def;
};

/** The seed's CI/CD pipeline, its group named parallel_tests. */
export const cicdPipeline = () => ({
  name: 'cicd_pipeline',
  version: '3.0',
  steps: {
    checkout_code: { action: 'checkout_code' },
    run_unit_tests: { action: 'run_unit_tests', timeout: '10m' },
    run_integration_tests: { action: 'run_integration_tests', timeout: '20m' },
    security_scan: { action: 'security_scan', timeout: '15m' },
    build_artifacts: { action: 'build_artifacts', timeout: '30m' },
    deploy_staging: { action: 'deploy_staging', compensation: 'rollback_staging' },
    run_e2e_tests: { action: 'run_e2e_tests', timeout: '45m' },
    approval_gate: { action: 'manual_approval', timeout: '24h', assigned_to: 'release_manager' },
    deploy_production: { action: 'deploy_production', compensation: 'rollback_production' },
    smoke_tests: { action: 'run_smoke_tests', timeout: '5m' },
  },
  parallel_groups: { parallel_tests: ['run_unit_tests', 'security_scan'] } as unknown,
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
  error_handling: { on_failure: 'compensate_and_notify', notification_channels: ['slack', 'pagerduty'] },
});
