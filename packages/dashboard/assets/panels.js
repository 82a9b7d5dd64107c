/** The refusal and error panels, and the toasts that report what a command did. */
import { h } from './dom.js';

/**
 * What to show instead of data when a request failed: for 401/403 a refusal that says what was
 * refused and why (`You are not allowed to list instances (403 WF_FORBIDDEN: …)`), else an error.
 */
export function failurePanel(error, doing) {
  if (error?.refused) {
    const signIn = error.status === 401;
    return h(
      'section',
      { class: 'panel refusal', role: 'alert', 'data-refusal': String(error.status) },
      h('h2', {}, signIn ? 'Sign in required' : 'Access refused'),
      h('p', { class: 'refusal-message' }, commandFailure(error, doing)),
      h('p', { class: 'muted' }, signIn ? 'Sign in with a token (in the header), or with your site’s login, then try again.' : 'Ask an administrator for access, or sign in with another token (in the header).'),
    );
  }
  return h(
    'section',
    { class: 'panel failure', role: 'alert' },
    h('h2', {}, 'Something went wrong'),
    h('p', {}, commandFailure(error, doing)),
  );
}

/** A short message at the bottom of the page; `kind` is `ok` or `error`. */
export function toast(message, kind = 'ok') {
  const box = document.getElementById('wm-toasts');
  if (!box) return;
  const el = h('div', { class: ['toast', `toast-${kind}`] }, message);
  box.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 9000 : 4000);
}

/** The message of a failed request or command (panels and toasts): refusals say what was refused. */
export function commandFailure(error, doing) {
  return error?.refused ? `You are not allowed to ${doing} (${error.summary})` : `Could not ${doing}: ${error?.summary ?? error?.message ?? String(error)}`;
}
