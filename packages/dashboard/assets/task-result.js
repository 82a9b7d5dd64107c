/**
 * What completing a task sends. A decision goes under the key the definition's transitions read:
 * for the document approval, `initial_review` routes on `review.approved` and `final_approval` on
 * `approval.granted`, so approving them sends `{ review: { approved: true, … } }` and
 * `{ approval: { approved: true, granted: true, … } }`. The key is, in order: the step config's
 * `result_key`, the object a condition leaving the step (or its group) reads, the step id.
 */
import { normalizeGroups } from './graph-layout.js';

const FIELD = /(?:^|[^\w$.])([A-Za-z_$][\w$]*)\.(approved|granted|accepted|decision|rejected)\b/g;

/** `{ key, flags }`: where a decision goes and the boolean fields the conditions read there. */
export function decisionTarget(definition, stepId, form) {
  if (typeof form?.result_key === 'string' && form.result_key) return { key: form.result_key, flags: [] };
  const groups = normalizeGroups(definition?.parallel_groups);
  const sources = new Set([stepId, ...Object.entries(groups).filter(([, members]) => members.includes(stepId)).map(([name]) => name)]);
  const found = new Map();
  for (const t of definition?.transitions ?? []) {
    if (!sources.has(t.from) || typeof t.condition !== 'string') continue;
    for (const m of t.condition.matchAll(FIELD)) {
      if (!found.has(m[1])) found.set(m[1], new Set());
      if (m[2] !== 'decision' && m[2] !== 'rejected') found.get(m[1]).add(m[2]);
    }
  }
  const [first] = found.entries();
  if (first) return { key: first[0], flags: [...first[1]].filter((f) => f !== 'approved') };
  return { key: stepId, flags: [] };
}

/** The form fields a step's config declares: `config.fields` or `config.form.fields`. */
export function formFields(form) {
  const list = Array.isArray(form?.fields) ? form.fields : Array.isArray(form?.form?.fields) ? form.form.fields : [];
  return list
    .map((f) => (typeof f === 'string' ? { name: f } : f))
    .filter((f) => f && typeof f.name === 'string' && f.name)
    .map((f) => ({ name: f.name, label: f.label ?? f.name, type: f.type ?? 'text', options: Array.isArray(f.options) ? f.options : undefined, required: f.required === true }));
}

/**
 * The `data` of `POST /tasks/:id/complete`: `decision` is `approve`, `reject` or `complete`;
 * `values` are the form fields, `comment` the reviewer's note.
 */
export function completionData(target, decision, values = {}, comment = '') {
  const result = { ...values };
  if (decision === 'approve' || decision === 'reject') {
    const yes = decision === 'approve';
    result.approved = yes;
    for (const flag of target.flags) result[flag] = yes;
    result.decision = yes ? 'approved' : 'rejected';
  }
  if (comment.trim() !== '') result.comment = comment.trim();
  return { [target.key]: result };
}
