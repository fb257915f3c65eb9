// The runs list: filters (workflow, status), a page at a time (list_metadata.after), and "New run" for a workflow.

import { api, allPages } from './api.js';
import { countsBar } from './counts.js';
import { h, replace, statusBadge, timeElement, formatDuration, loading, errorMessage } from './dom.js';

const statuses = ['pending', 'queued', 'running', 'completed', 'error', 'cancelled'];

export async function showRuns(main, query, signal) {
  const heading = h('h1', { tabindex: -1 }, 'Test runs');
  replace(main, heading, loading());
  let workflows;
  try {
    workflows = (await allPages('/workflows', {}, { maxPages: 5, signal })).rows;
  } catch (error) {
    replace(main, heading, errorMessage(error));
    return;
  }
  const names = new Map(workflows.map(workflow => [workflow.id, workflow.name]));
  const filters = { workflow_id: query.get('workflow_id') ?? '', status: query.get('status') ?? '' };
  const cursors = [null];

  const workflowFilter = select('filter-workflow', 'Workflow', [['', 'All workflows'], ...workflows.map(w => [w.id, w.name])], filters.workflow_id);
  const statusFilter = select('filter-status', 'Status', [['', 'Any status'], ...statuses.map(s => [s, s])], filters.status);
  const refresh = h('button', { type: 'button' }, 'Refresh');
  const previous = h('button', { type: 'button' }, 'Previous page');
  const next = h('button', { type: 'button' }, 'Next page');
  const status = h('p', { class: 'status', role: 'status' });
  const body = h('tbody');
  const table = h('table', { class: 'runs' },
    h('caption', { class: 'visually-hidden' }, 'Test runs, newest first'),
    h('thead', {}, h('tr', {}, ['Run', 'Workflow', 'Status', 'Counts', 'Duration', 'Trigger', 'Created'].map(c => h('th', { scope: 'col' }, c)))),
    body);

  async function load() {
    status.textContent = 'Loading…';
    try {
      const list = await api('/workflows/tests/runs', { query: { ...filters, limit: 25, after: cursors.at(-1) }, signal });
      replace(body, list.data.map(run => runRow(run, names)));
      if (list.data.length === 0) replace(body, h('tr', {}, h('td', { colspan: 7 }, 'No runs match.')));
      previous.disabled = cursors.length === 1;
      next.disabled = !list.list_metadata?.after;
      next.dataset.after = list.list_metadata?.after ?? '';
      status.textContent = `Page ${cursors.length}: ${list.data.length} runs.`;
    } catch (error) {
      if (!signal.aborted) replace(status, errorMessage(error));
    }
  }

  const applyFilters = () => {
    filters.workflow_id = workflowFilter.control.value;
    filters.status = statusFilter.control.value;
    cursors.length = 1;
    // The filters go into the address, so a filtered list can be bookmarked and Back returns to it.
    const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
    history.replaceState(null, '', `#/runs${params.size ? `?${params}` : ''}`);
    load();
  };
  workflowFilter.control.addEventListener('change', applyFilters);
  statusFilter.control.addEventListener('change', applyFilters);
  refresh.addEventListener('click', load);
  next.addEventListener('click', () => { cursors.push(next.dataset.after); load(); });
  previous.addEventListener('click', () => { cursors.pop(); load(); });

  replace(main,
    heading,
    newRunForm(workflows, filters.workflow_id),
    h('section', { 'aria-label': 'Runs' },
      h('div', { class: 'toolbar' }, workflowFilter.field, statusFilter.field, refresh),
      status,
      h('div', { class: 'scroll' }, table),
      h('div', { class: 'pager' }, previous, next)));
  heading.focus();
  await load();
}

function runRow(run, names) {
  return h('tr', { 'data-run-id': run.id },
    h('td', {}, h('a', { href: `#/runs/${encodeURIComponent(run.id)}` }, run.id)),
    h('td', {}, names.get(run.workflow_id) ?? run.workflow_id),
    h('td', {}, statusBadge(run.lifecycle?.status)),
    h('td', {}, countsBar(run.counts, run.total_tests), h('span', { class: 'total' }, `${run.total_tests} tests`)),
    h('td', {}, formatDuration(run.timing?.duration_ms)),
    h('td', {}, run.trigger?.type ?? '—'),
    h('td', {}, timeElement(run.timing?.created_at)));
}

/** Starts a run of a workflow, optionally scoped to one block, and opens its page. */
function newRunForm(workflows, selected) {
  const workflow = select('new-run-workflow', 'Workflow', workflows.map(w => [w.id, w.name]), selected || workflows[0]?.id);
  const block = select('new-run-block', 'Blocks', [], '');
  const error = h('p', { class: 'error', role: 'alert' });
  error.hidden = true;
  const start = h('button', { type: 'submit', class: 'primary' }, 'Start run');
  const fillBlocks = () => {
    const chosen = workflows.find(w => w.id === workflow.control.value);
    replace(block.control, h('option', { value: '' }, 'Every block'),
      (chosen?.blocks ?? []).map(b => h('option', { value: b.id }, `${b.name} (${b.id})`)));
  };
  workflow.control.addEventListener('change', fillBlocks);
  fillBlocks();
  start.disabled = workflows.length === 0;

  const form = h('form', { class: 'card new-run', 'aria-labelledby': 'new-run-title' },
    h('h2', { id: 'new-run-title' }, 'New run'),
    workflows.length === 0 ? h('p', {}, 'Create a workflow and tests through the API first.') : null,
    h('div', { class: 'toolbar' }, workflow.field, block.field, start),
    error);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    start.disabled = true;
    error.hidden = true;
    const scope = block.control.value ? { type: 'block', block_id: block.control.value } : null;
    try {
      const run = await api('/workflows/tests/runs', { method: 'POST', body: { workflow_id: workflow.control.value, ...(scope ? { scope } : {}) } });
      location.hash = `#/runs/${encodeURIComponent(run.id)}`;
    } catch (failure) {
      error.textContent = failure.message;
      error.hidden = false;
      start.disabled = false;
    }
  });
  return form;
}

/** A labelled <select>; options are [value, text] pairs. */
export function select(id, label, options, selected) {
  const control = h('select', { id, name: id }, options.map(([value, text]) => h('option', { value, selected: value === selected }, text)));
  if (selected !== undefined && selected !== null) control.value = selected;
  return { control, field: h('div', { class: 'field' }, h('label', { for: id }, label), control) };
}
