/** Pieces shared by the pages: state badges, labelled requests, data views. */
import { h, mount } from '../dom.js';
import { lower, prettyJson } from '../format.js';
import { failurePanel } from '../panels.js';

/** A coloured state or status badge. */
export const badge = (state) => h('span', { class: ['badge', `state-${lower(state).replace(/_/g, '-')}`], 'data-state': state }, String(state ?? '').replace(/_/g, ' '));

/** `promise`, its failure labelled with what the user was doing (`list instances`). */
export const labelled = (promise, doing) =>
  promise.catch((error) => {
    if (error && typeof error === 'object' && !error.doing) error.doing = doing;
    throw error;
  });

/**
 * Await `requests` (labelled promises). On failure the page shows the refusal or error panel in
 * place of everything (no data left on screen) and `undefined` is returned.
 */
export async function loadAll(ctx, requests) {
  try {
    const results = await Promise.all(requests);
    return ctx.alive() ? results : undefined;
  } catch (error) {
    if (ctx.alive()) mount(ctx.main, failurePanel(error, error?.doing ?? 'show this page'));
    return undefined;
  }
}

/** JSON in a scrollable block. */
export const jsonBlock = (value, label) => h('pre', { class: 'json', 'aria-label': label }, prettyJson(value));

/** A two-column list of `[label, value]` pairs. */
export const facts = (pairs) => h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '').flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));

/** Page title with optional actions on the right. */
export const pageHeader = (title, ...right) => h('div', { class: 'page-header' }, h('h1', {}, title), h('div', { class: 'page-actions' }, right));
