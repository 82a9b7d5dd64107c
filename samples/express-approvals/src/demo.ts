/**
 * `--demo`: one document through every task over HTTP. The author submits it
 * (`POST /api/workflows/document_approval/instances`); each reviewer lists the tasks of their role
 * (`GET /api/tasks?assignedTo=<role>`) and completes them (`POST /api/tasks/:id/complete`).
 */
import type { InstanceRecord, JsonObject, WorkflowTask } from '@workflow-mastery/core';
import type { DocumentInput } from '@workflow-mastery/sample-document-approval/document-actions';
import { call, pathOf as historyPath } from '@workflow-mastery/sample-kit';

export { call, request, type Caller } from '@workflow-mastery/sample-kit';

/** Who acts for each role the workflow assigns tasks to. */
export const reviewers: Record<string, string> = { manager_role: 'mia', legal_team: 'lee', compliance_team: 'cory', executive_role: 'eve' };

/** What approving each task writes into the instance data (the definition's conditions read it). */
export function approval(stepId: string, by: string): JsonObject {
  const key = { initial_review: 'review', legal_review: 'legal', compliance_review: 'compliance', final_approval: 'approval' }[stepId] ?? stepId;
  return { [key]: { [key === 'approval' ? 'granted' : 'approved']: true, by } };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Steps as they ended, from the instance's history, read as an auditor. */
export const pathOf = (base: string, id: string): Promise<string[]> => historyPath(base, { user: 'auditor' }, id);

/**
 * Submits `document` and has every reviewer approve their task as it opens, until the instance
 * ends. Returns the final instance and the tasks completed, in order.
 */
export async function driveDocument(base: string, document: DocumentInput, write: (line: string) => void = () => undefined, timeoutMs = 30_000): Promise<{ instance: InstanceRecord; completed: string[] }> {
  const started = await call(base, { user: document.author }, 'POST', '/workflows/document_approval/instances', { data: { document } });
  write(`${document.author} submitted ${document.id} → instance ${started.id}`);
  const completed: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const instance = await call(base, { user: document.author }, 'GET', `/instances/${started.id}`);
    if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(instance.state)) return { instance, completed };
    for (const [role, user] of Object.entries(reviewers)) {
      const { items } = await call<{ items: WorkflowTask[] }>(base, { user, role }, 'GET', `/tasks?assignedTo=${role}&instanceId=${started.id}`);
      for (const task of items) {
        await call(base, { user, role }, 'POST', `/tasks/${encodeURIComponent(task.id)}/complete`, { data: approval(task.stepId, user) });
        completed.push(task.stepId);
        write(`${user} (${role}) approved ${task.stepId}`);
      }
    }
    if (Date.now() > deadline) throw new Error(`instance ${started.id} still ${instance.state} after ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** The demo: a 250000 contract, so legal and compliance both review. True when it was archived. */
export async function runDemo(base: string, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Promise<boolean> {
  const document: DocumentInput = { id: 'DOC-2001', title: 'Supply agreement with Acme', type: 'contract', value: 250_000, author: 'adam' };
  const { instance } = await driveDocument(base, document, write);
  write('');
  write(`path:  ${(await pathOf(base, instance.id)).join(' → ')}`);
  write(`state: ${instance.state}${instance.error ? ` (${instance.error.code}: ${instance.error.message})` : ''}`);
  return instance.state === 'COMPLETED' && (instance.data.archive as JsonObject | undefined)?.location !== undefined;
}
