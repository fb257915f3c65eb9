import { api, session, SignedOut } from './api.js';
import { h, replace } from './dom.js';

/** The sign-in form: the key is checked with one cheap call before it is kept. */
export function showSignIn(main, message, onSignedIn) {
  const input = h('input', { id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const status = h('p', { id: 'sign-in-error', class: 'error', role: 'alert' }, message ?? '');
  status.hidden = !message;
  const form = h('form', { class: 'card sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title', tabindex: -1 }, 'Sign in'),
    h('p', {}, 'Enter an API key of your organization. It is kept in this browser tab only.'),
    h('label', { for: 'api-key' }, 'API key'),
    input,
    status,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    session.signIn(key);
    try {
      await api('/workflows', { query: { limit: 1 } });
      onSignedIn();
    } catch (error) {
      session.signOut();
      status.textContent = error instanceof SignedOut ? 'That API key was refused.' : error.message;
      status.hidden = false;
      input.focus();
    }
  });
  replace(main, form);
  input.focus();
}
