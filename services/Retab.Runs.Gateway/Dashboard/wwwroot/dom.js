// Building the page without innerHTML: every piece of API data becomes a text node or an attribute value, so user
// JSON (test names, outputs, failure messages) can never turn into markup or script.

/** h('a', {href: '#/runs', class: 'x'}, 'text', child) — props are attributes, except on* handlers and a few properties. */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'value' || name === 'checked' || name === 'selected') element[name] = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside an element. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A value as indented JSON in a <pre>, as text. */
export function jsonBlock(value, label) {
  const text = value === undefined ? '—' : JSON.stringify(value, null, 2);
  return h('pre', { class: 'json', tabindex: 0, 'aria-label': label }, text);
}

export function formatDuration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds % 60)} s`;
}

export function formatTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
}

/** A <time> element with the exact timestamp as its machine-readable value and tooltip. */
export function timeElement(iso) {
  return iso ? h('time', { datetime: iso, title: iso }, formatTime(iso)) : '—';
}

export const terminalStatuses = new Set(['completed', 'error', 'cancelled']);

export function statusBadge(status) {
  const known = ['pending', 'queued', 'running', 'completed', 'error', 'cancelled', 'passed', 'failed', 'blocked'];
  const kind = known.includes(status) ? status : 'unknown';
  return h('span', { class: `badge badge-${kind}` }, status ?? '—');
}

/** Text for screen readers and tooltips that says what a page is waiting on. */
export function loading(text = 'Loading…') {
  return h('p', { class: 'loading', role: 'status' }, text);
}

export function errorMessage(error) {
  return h('p', { class: 'error', role: 'alert' }, error?.message ?? String(error));
}
