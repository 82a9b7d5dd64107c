/**
 * A modal confirmation (a `<dialog>`, not `window.confirm`, so that it is styled, can hold fields
 * and can be clicked by tests). Resolves to the field values when confirmed, `undefined` when not.
 */
import { h } from './dom.js';

let open = 0;

/** True while a dialog is open: live refresh waits, so nothing moves under the user. */
export const dialogOpen = () => open > 0;

/**
 * Ask for confirmation. `fields` are `{ name, label, type: 'text' | 'textarea' | 'json' | 'select',
 * value, required, options }` (`options`: `[{ value, label }]` of a select). `content` is a node shown
 * under the message (a migration plan). `danger` styles the confirm button red; `wide` widens it.
 */
export function confirmDialog({ title, message, content, confirmLabel = 'Confirm', danger = false, wide = false, fields = [] }) {
  return new Promise((resolve) => {
    const inputs = new Map();
    const error = h('p', { class: 'dialog-error', role: 'alert' });
    const body = fields.map((field) => {
      const id = `wm-field-${field.name}`;
      const input =
        field.type === 'select'
          ? h('select', { id, name: field.name }, (field.options ?? []).map((o) => h('option', { value: o.value }, o.label ?? o.value)))
          : field.type === 'textarea' || field.type === 'json'
          ? h('textarea', { id, name: field.name, rows: field.type === 'json' ? 6 : 3, spellcheck: field.type === 'json' ? 'false' : undefined })
          : h('input', { id, name: field.name, type: 'text', autocomplete: 'off' });
      if (field.value !== undefined || field.type !== 'select') input.value = field.value ?? '';
      inputs.set(field.name, { field, input });
      return h('label', { class: 'field', for: id }, h('span', {}, field.label), input);
    });
    const cancel = h('button', { type: 'button', class: 'btn', 'data-action': 'cancel' }, 'Cancel');
    const confirm = h('button', { type: 'submit', class: ['btn', danger ? 'btn-danger' : 'btn-primary'], 'data-action': 'confirm' }, confirmLabel);
    const form = h('form', { method: 'dialog' }, h('h2', {}, title), message ? h('p', { class: 'dialog-message' }, message) : null, content ?? null, body, error, h('div', { class: 'dialog-buttons' }, cancel, confirm));
    const dialog = h('dialog', { class: ['dialog', wide ? 'dialog-wide' : ''], 'aria-label': title }, form);

    let settled = false;
    const finish = (value) => {
      if (settled) return;
      settled = true;
      open -= 1;
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    cancel.addEventListener('click', () => finish(undefined));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(undefined);
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const values = {};
      for (const [name, { field, input }] of inputs) {
        const raw = input.value;
        if (field.required && raw.trim() === '') {
          error.textContent = `${field.label} is required.`;
          input.focus();
          return;
        }
        if (field.type === 'json') {
          try {
            const parsed = raw.trim() === '' ? {} : JSON.parse(raw);
            if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
            values[name] = parsed;
          } catch {
            error.textContent = `${field.label} must be a JSON object, like {"approved": true}.`;
            input.focus();
            return;
          }
        } else values[name] = raw;
      }
      finish(values);
    });

    open += 1;
    document.body.append(dialog);
    dialog.showModal();
    (inputs.values().next().value?.input ?? confirm).focus();
  });
}
