/** Copied unchanged from `samples/document-approval` (the sample packages export no library entry point). */
/**
 * The seed's document approval workflow (design document, section 7.2), ported as it stands:
 * same steps, keys, timeouts, guards and transitions. Added, and only this:
 * - the parallel group is named `parallel_reviews`: the seed lists it bare
 *   (`[['legal_review', 'compliance_review']]`) while its transitions already use that name;
 * - the step `reject_document`, which the seed's transitions route to without defining it.
 *
 * Consequences of the seed as written, kept on purpose (the tests pin them):
 * - `final_approval` routes only on `approval.granted === true`. When the executive refuses, no
 *   transition matches and the instance FAILS with WF_NO_ROUTE naming that condition (there is no
 *   `error_handling`, so nothing else happens and no rejection is sent).
 * - The parallel reviews do not route: `join: 'all'` fires once legal and compliance are both
 *   done (or skipped), whatever they decided. Their verdicts reach the executive as data.
 * - A guard that does not hold SKIPS its review: a contract of 100000 or less skips compliance, a
 *   non-contract skips legal, and a non-contract of 100000 or less skips both (the join fires at once).
 * - Each human task's `timeout` is its due time and nothing escalates (no `on_timeout` route), so
 *   an overdue task fails the step and the instance with WF_TIMEOUT.
 */
import type { WorkflowDefinitionInput } from '@workflow-mastery/core';
import {
  ArchiveDocumentAction,
  ComplianceReviewAction,
  FinalApprovalAction,
  InitialReviewAction,
  LegalReviewAction,
  RejectDocumentAction,
  SubmitDocumentAction,
} from './document-actions.js';

/** `DocumentApprovalWorkflow::getDefinition()` of the seed. */
export const documentApprovalWorkflow = {
  name: 'document_approval',
  version: '1.5',
  steps: {
    submit_document: {
      action: SubmitDocumentAction,
    },
    initial_review: {
      action: InitialReviewAction,
      assigned_to: 'manager_role',
      timeout: '2d',
    },
    legal_review: {
      action: LegalReviewAction,
      assigned_to: 'legal_team',
      timeout: '5d',
      conditions: ['document.type === "contract"'],
    },
    compliance_review: {
      action: ComplianceReviewAction,
      assigned_to: 'compliance_team',
      timeout: '3d',
      conditions: ['document.value > 100000'],
    },
    final_approval: {
      action: FinalApprovalAction,
      assigned_to: 'executive_role',
      timeout: '1d',
    },
    archive_document: {
      action: ArchiveDocumentAction,
    },
    // Referenced by the seed's transitions, not defined there:
    reject_document: {
      action: RejectDocumentAction,
    },
  },
  parallel_groups: {
    // The seed's bare group, named as its transitions call it:
    parallel_reviews: ['legal_review', 'compliance_review'],
  },
  transitions: [
    { from: 'submit_document', to: 'initial_review' },
    { from: 'initial_review', to: 'parallel_reviews', condition: 'review.approved === true' },
    { from: 'initial_review', to: 'reject_document', condition: 'review.approved === false' },
    { from: 'parallel_reviews', to: 'final_approval', join: 'all' },
    { from: 'final_approval', to: 'archive_document', condition: 'approval.granted === true' },
  ],
} satisfies WorkflowDefinitionInput;

/** The steps that are human tasks, in the order they open. */
export const approvalTaskSteps = ['initial_review', 'legal_review', 'compliance_review', 'final_approval'] as const;
export type ApprovalTaskStep = (typeof approvalTaskSteps)[number];
