/** Copied unchanged from `samples/document-approval` (the sample packages export no library entry point). */
/**
 * Stand-ins for the systems a document approval touches (a document store with an archive, and
 * people's inboxes), kept in memory so the sample runs anywhere. Side effects are keyed by the
 * action's idempotency key, so a re-run step never files or mails twice.
 */
import { systemClock } from '@workflow-mastery/core';
import type { Clock } from '@workflow-mastery/core';

/** A document as the store keeps it. */
export interface StoredDocument {
  id: string;
  title: string;
  status: 'submitted' | 'archived' | 'rejected';
  location?: string;
  reason?: string;
}

/** Documents by id; filing and archiving are idempotent per key. */
export class DemoDocumentStore {
  readonly documents = new Map<string, StoredDocument>();
  private readonly done = new Set<string>();

  submit(key: string, id: string, title: string): void {
    if (this.once(key)) this.documents.set(id, { id, title, status: 'submitted' });
  }

  /** Files the document in the archive; returns where. */
  archive(key: string, id: string, year: number): string {
    const location = `archive://${year}/${id}`;
    const doc = this.documents.get(id);
    if (doc && this.once(key)) Object.assign(doc, { status: 'archived', location });
    return location;
  }

  reject(key: string, id: string, reason: string): void {
    const doc = this.documents.get(id);
    if (doc && this.once(key)) Object.assign(doc, { status: 'rejected', reason });
  }

  private once(key: string): boolean {
    if (this.done.has(key)) return false;
    this.done.add(key);
    return true;
  }
}

/** A message put in someone's inbox (a review request, a rejection notice). */
export interface InboxMessage {
  to: string;
  subject: string;
}

/** Everything the demo actions need; handed to them by the registry's factory. */
export class DemoServices {
  readonly store = new DemoDocumentStore();
  readonly inbox: InboxMessage[] = [];
  private readonly sent = new Set<string>();

  constructor(readonly clock: Clock = systemClock) {}

  /** The engine's time, as an ISO string. */
  now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** Deliver a message once per idempotency key. */
  mail(key: string, message: InboxMessage): void {
    if (this.sent.has(key)) return;
    this.sent.add(key);
    this.inbox.push(message);
  }
}
