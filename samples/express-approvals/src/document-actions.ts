/** Copied unchanged from `samples/document-approval` (the sample packages export no library entry point). */
/**
 * Demo actions of the document approval sample. The human-task steps (`assigned_to`) run their
 * action first, to prepare the task: these actions only put a review request in the reviewer's
 * inbox and return `{ <step>_requested_at }`; the reviewer's decision comes with the completed task.
 */
import { ActionResult, WorkflowAction } from '@workflow-mastery/core';
import type { ActionContext, JsonObject } from '@workflow-mastery/core';
import type { DemoServices } from './demo-services.js';

/** A document as the start data carries it. */
export interface DocumentInput {
  id: string;
  title: string;
  /** `contract` gets a legal review. */
  type: string;
  /** Monetary value; above 100000 gets a compliance review. */
  value: number;
  author: string;
}

/** The document once submitted. */
export interface SubmittedDocument extends DocumentInput {
  status: 'submitted' | 'archived' | 'rejected';
  submitted_at: string;
}

const documentOf = (ctx: ActionContext) => ctx.data.document as unknown as SubmittedDocument;

/** What is wrong with a document, if anything. */
export function documentProblems(doc: Partial<DocumentInput> | undefined): string[] {
  if (!doc || typeof doc !== 'object') return ['no document in the start data'];
  const problems: string[] = [];
  const text = (key: keyof DocumentInput) => typeof doc[key] === 'string' && (doc[key] as string).trim() !== '';
  if (!text('id')) problems.push('id is missing');
  if (!text('title')) problems.push('title is missing');
  if (!text('type')) problems.push('type is missing');
  if (!text('author')) problems.push('author is missing');
  if (typeof doc.value !== 'number' || !Number.isFinite(doc.value) || doc.value < 0) problems.push('value must be a number ≥ 0');
  return problems;
}

/** Base of the demo actions: they share the demo services. */
abstract class DemoAction {
  constructor(protected readonly services: DemoServices) {}
}

/** Checks the document and files it; an invalid document fails the step (not retryable). */
@WorkflowAction('submit_document')
export class SubmitDocumentAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    const input = ctx.data.document as unknown as Partial<DocumentInput> | undefined;
    const problems = documentProblems(input);
    if (problems.length) {
      return ActionResult.failure(`invalid document: ${problems.join('; ')}`, { retryable: false, code: 'INVALID_DOCUMENT', details: problems });
    }
    const doc = input as DocumentInput;
    this.services.store.submit(ctx.idempotencyKey, doc.id, doc.title);
    const submitted: SubmittedDocument = { ...doc, type: doc.type.trim().toLowerCase(), status: 'submitted', submitted_at: this.services.now() };
    return ActionResult.success({ document: submitted as unknown as JsonObject });
  }
}

/** Prepares a review task: asks the reviewer (by inbox) and records when. */
abstract class RequestReviewAction extends DemoAction {
  /** Who the request goes to (the step's `assigned_to`). */
  protected abstract readonly reviewer: string;

  execute(ctx: ActionContext): ActionResult {
    const doc = documentOf(ctx);
    this.services.mail(ctx.idempotencyKey, { to: this.reviewer, subject: `${ctx.stepId.replace('_', ' ')} requested: ${doc.id} "${doc.title}"` });
    return ActionResult.success({ [`${ctx.stepId}_requested_at`]: this.services.now() });
  }
}

@WorkflowAction('request_initial_review')
export class InitialReviewAction extends RequestReviewAction {
  protected readonly reviewer = 'manager_role';
}

@WorkflowAction('request_legal_review')
export class LegalReviewAction extends RequestReviewAction {
  protected readonly reviewer = 'legal_team';
}

@WorkflowAction('request_compliance_review')
export class ComplianceReviewAction extends RequestReviewAction {
  protected readonly reviewer = 'compliance_team';
}

@WorkflowAction('request_final_approval')
export class FinalApprovalAction extends RequestReviewAction {
  protected readonly reviewer = 'executive_role';
}

/** Files the approved document in the archive. */
@WorkflowAction('archive_document')
export class ArchiveDocumentAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    const doc = documentOf(ctx);
    const year = new Date(this.services.clock.now()).getUTCFullYear();
    const location = this.services.store.archive(ctx.idempotencyKey, doc.id, year);
    return ActionResult.success({
      document: { ...doc, status: 'archived' } as unknown as JsonObject,
      archive: { location, archived_at: this.services.now() },
    });
  }
}

/** Marks the document rejected and tells its author why. */
@WorkflowAction('reject_document')
export class RejectDocumentAction extends DemoAction {
  execute(ctx: ActionContext): ActionResult {
    const doc = documentOf(ctx);
    const review = (ctx.data.review ?? {}) as JsonObject;
    const reason = typeof review.comment === 'string' && review.comment ? review.comment : 'rejected at initial review';
    this.services.store.reject(ctx.idempotencyKey, doc.id, reason);
    this.services.mail(ctx.idempotencyKey, { to: doc.author, subject: `${doc.id} "${doc.title}" was rejected: ${reason}` });
    return ActionResult.success({
      document: { ...doc, status: 'rejected' } as unknown as JsonObject,
      rejection: { by: String(review.by ?? 'manager_role'), reason, rejected_at: this.services.now() },
    });
  }
}

/** Every action of the sample, for `engine.registerActions`. */
export const documentActions = [
  SubmitDocumentAction,
  InitialReviewAction,
  LegalReviewAction,
  ComplianceReviewAction,
  FinalApprovalAction,
  ArchiveDocumentAction,
  RejectDocumentAction,
];
