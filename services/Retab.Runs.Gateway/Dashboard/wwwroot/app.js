// The dashboard's router: #/runs, #/runs/{id}, #/results/{id}; the sign-in page whenever there is no key or the key
// is refused. Each page gets an AbortSignal that is aborted when the user leaves it (closing its live stream), and an
// element of its own: a page still finishing a request after the user left writes into a detached element, never
// over the page that replaced it.

import { session } from './api.js';
import { h, replace } from './dom.js';
import { showSignIn } from './signin.js';
import { showRuns } from './runs.js';
import { showRun } from './run.js';
import { showResult } from './result.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
let leave = new AbortController();
let onSignInPage = false;

function route(message) {
  leave.abort();
  leave = new AbortController();
  const signal = leave.signal;
  const view = document.createElement('div');
  main.replaceChildren(view);
  onSignInPage = !session.key();
  nav.hidden = onSignInPage;
  if (onSignInPage) {
    showSignIn(view, message, () => {
      if (location.hash.startsWith('#/runs') || location.hash.startsWith('#/results')) route();
      else location.hash = '#/runs';
    });
    return;
  }
  const [path, search] = location.hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(search ?? '');
  if (parts[0] === 'runs' && parts[1]) showRun(view, parts[1], signal);
  else if (parts[0] === 'results' && parts[1]) showResult(view, parts[1], signal);
  else if (parts[0] === 'runs' || parts.length === 0) showRuns(view, query, signal);
  else replace(view, h('h1', {}, 'No such page'), h('p', {}, h('a', { href: '#/runs' }, 'Go to the runs')));
}

window.addEventListener('hashchange', () => route());
window.addEventListener('retab:signed-out', event => {
  if (onSignInPage) return;
  session.signOut();
  route(event.detail);
});
document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  route('You are signed out.');
});
route();
