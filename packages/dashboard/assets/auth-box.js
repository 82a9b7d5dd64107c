/**
 * "Sign in with a token": an `Authorization` value entered once and kept for the tab
 * (sessionStorage). Cookies of the page's origin are sent anyway.
 */
import { storeAuthorization, storedAuthorization } from './api.js';
import { h, mount } from './dom.js';

/** Render the box into `el`; `changed()` runs after signing in or out. */
export function renderAuthBox(el, changed) {
  const draw = () => {
    const current = storedAuthorization();
    if (current) {
      const scheme = current.split(/\s+/)[0];
      mount(
        el,
        h('span', { class: 'auth-state', title: 'Requests carry this Authorization header' }, `Signed in (${scheme} token)`),
        h('button', { type: 'button', class: 'btn btn-small', 'data-action': 'sign-out', onClick: () => { storeAuthorization(''); draw(); changed(); } }, 'Sign out'),
      );
      return;
    }
    const input = h('input', { type: 'password', name: 'token', placeholder: 'token or "Bearer …"', autocomplete: 'off', 'aria-label': 'Token' });
    const form = h(
      'form',
      { class: 'auth-form', hidden: true, onSubmit: (event) => { event.preventDefault(); if (storeAuthorization(input.value)) { draw(); changed(); } } },
      input,
      h('button', { type: 'submit', class: 'btn btn-small btn-primary' }, 'Use token'),
    );
    const open = h('button', { type: 'button', class: 'btn btn-small', 'data-action': 'sign-in', onClick: () => { form.hidden = false; open.hidden = true; input.focus(); } }, 'Sign in with a token');
    mount(el, open, form);
  };
  draw();
}
