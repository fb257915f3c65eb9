// One run: header (workflow, status, counts, timing), a live progress bar fed by the run's event stream, and its
// results, updated row by row from "result" events and reloaded from the results API when the run ends.

import { api, allPages, ApiError } from './api.js';
import { countsBar, countsLegend, doneCount } from './counts.js';
import { h, replace, statusBadge, timeElement, formatDuration, loading, errorMessage, terminalStatuses } from './dom.js';
import { select } from './runs.js';
import { followRun } from './sse.js';

const verdicts = ['passed', 'failed', 'blocked'];

export async function showRun(main, runId, signal) {
  const heading = h('h1', { tabindex: -1 }, 'Run ', h('code', {}, runId));
  replace(main, heading, loading());
  let run;
  try {
    run = await api(`/workflows/tests/runs/${encodeURIComponent(runId)}`, { signal });
  } catch (error) {
    replace(main, heading, errorMessage(error), h('p', {}, h('a', { href: '#/runs' }, 'Back to the runs')));
    return;
  }
  const [workflow, tests] = await Promise.all([
    api(`/workflows/${encodeURIComponent(run.workflow_id)}`, { signal }).catch(() => null),
    allPages('/workflows/tests', { workflow_id: run.workflow_id }, { signal }).then(page => page.rows).catch(() => []),
  ]);
  const testNames = new Map(tests.map(test => [test.id, test.name]));
  const results = new Map();
  let more = null;

  const header = h('section', { class: 'card run-header', 'aria-label': 'Run summary' });
  const connection = h('p', { class: 'connection', role: 'status' });
  const verdictFilter = select('filter-verdict', 'Verdict', [['', 'Any verdict'], ...verdicts.map(v => [v, v]), ['none', 'not finished']], '');
  const blockFilter = select('filter-block', 'Block', [['', 'Every block'], ...(workflow?.blocks ?? []).map(b => [b.id, `${b.name} (${b.id})`])], '');
  const tableStatus = h('p', { class: 'status', role: 'status' });
  const loadMore = h('button', { type: 'button' }, 'Load more results');
  const body = h('tbody');
  const table = h('table', { class: 'results' },
    h('caption', { class: 'visually-hidden' }, 'Results of this run'),
    h('thead', {}, h('tr', {}, ['Test', 'Block', 'Lifecycle', 'Verdict', 'Failure code', 'Duration'].map(c => h('th', { scope: 'col' }, c)))),
    body);

  let frame = 0;
  const renderRowsSoon = () => { frame ||= requestAnimationFrame(() => { frame = 0; renderRows(); }); };
  function renderRows() {
    const verdict = verdictFilter.control.value;
    const block = blockFilter.control.value;
    const shown = [...results.values()]
      .filter(result => !block || result.block_id === block)
      .filter(result => !verdict || (verdict === 'none' ? !result.verdict : result.verdict === verdict))
      .sort((a, b) => (testNames.get(a.test_id) ?? a.test_id).localeCompare(testNames.get(b.test_id) ?? b.test_id));
    replace(body, shown.map(result => resultRow(result, testNames)));
    if (shown.length === 0) replace(body, h('tr', {}, h('td', { colspan: 6 }, results.size ? 'No result matches the filters.' : 'No test has ended yet.')));
    tableStatus.textContent = `Showing ${shown.length} of ${results.size} results loaded${more ? ' (more to load)' : ''}; ${run.total_tests} tests in the run.`;
    loadMore.hidden = !more;
  }
  verdictFilter.control.addEventListener('change', renderRows);
  blockFilter.control.addEventListener('change', renderRows);

  async function reloadResults() {
    const page = await allPages('/workflows/tests/results', { run_id: runId }, { signal });
    results.clear();
    for (const result of page.rows) results.set(result.id, result);
    more = page.more;
    renderRows();
  }
  loadMore.addEventListener('click', async () => {
    const page = await allPages('/workflows/tests/results', { run_id: runId, after: more }, { signal });
    for (const result of page.rows) results.set(result.id, result);
    more = page.more;
    renderRows();
  });

  function renderHeader() {
    // Live updates rebuild the header; keep the keyboard focus where it was (the Cancel button).
    const focused = header.contains(document.activeElement) ? document.activeElement.id : '';
    const status = run.lifecycle?.status;
    const done = doneCount(run.counts);
    const active = !terminalStatuses.has(status);
    // The stacked bar shows progress to the eye; this element says it to assistive technology.
    const progress = h('progress', { id: 'run-progress', class: 'visually-hidden', max: Math.max(run.total_tests, 1), value: done, 'aria-label': 'Tests ended' });
    const cancel = active ? h('button', { type: 'button', class: 'danger', id: 'cancel-run' }, 'Cancel run') : null;
    cancel?.addEventListener('click', async () => {
      cancel.disabled = true;
      try {
        run = { ...run, ...(await api(`/workflows/tests/runs/${encodeURIComponent(runId)}/cancel`, { method: 'POST', body: {} })) };
        renderHeader();
      } catch (error) {
        cancel.disabled = false;
        header.append(errorMessage(error));
      }
    });
    replace(header,
      h('dl', { class: 'facts' },
        fact('Workflow', h('a', { href: `#/runs?workflow_id=${encodeURIComponent(run.workflow_id)}` }, workflow?.name ?? run.workflow_id)),
        fact('Status', h('span', { id: 'run-status', 'data-status': status }, statusBadge(status))),
        fact('Scope', scopeText(run)),
        run.rerun_of ? fact('Rerun of', runLink(run.rerun_of)) : null,
        fact('Trigger', run.trigger?.type ?? '—'),
        fact('Created', timeElement(run.timing?.created_at)),
        fact('Started', timeElement(run.timing?.started_at)),
        fact('Completed', timeElement(run.timing?.completed_at)),
        fact('Duration', formatDuration(run.timing?.duration_ms)),
        // Set once a completed run was compared with its previous run (same workflow and scope).
        run.baseline_run_id ? fact('Previous run', runLink(run.baseline_run_id)) : null,
        run.regressions != null ? fact('Regressions', h('span', { id: 'run-regressions' }, String(run.regressions))) : null,
        run.fixes != null ? fact('Fixes', h('span', { id: 'run-fixes' }, String(run.fixes))) : null),
      run.lifecycle?.message ? h('p', { class: 'error' }, `${run.lifecycle.details?.error_code ?? 'error'}: ${run.lifecycle.message}`) : null,
      run.lifecycle?.reason ? h('p', {}, `Cancelled: ${run.lifecycle.reason}`) : null,
      h('div', { class: 'progress-line' },
        countsBar(run.counts, run.total_tests),
        h('span', { class: 'total', id: 'run-done' }, `${done} of ${run.total_tests} tests ended`)),
      progress,
      countsLegend(run.counts),
      cancel);
    if (focused) document.getElementById(focused)?.focus();
  }

  replace(main,
    h('nav', { 'aria-label': 'Breadcrumb', class: 'crumbs' }, h('a', { href: '#/runs' }, 'Runs'), ' / ', runId),
    heading, header, connection,
    h('section', { 'aria-labelledby': 'results-title' },
      h('h2', { id: 'results-title' }, 'Results'),
      h('div', { class: 'toolbar' }, verdictFilter.field, blockFilter.field),
      tableStatus,
      h('div', { class: 'scroll' }, table),
      loadMore));
  renderHeader();
  heading.focus();

  try {
    await reloadResults();
  } catch (error) {
    if (!signal.aborted) replace(tableStatus, errorMessage(error));
  }
  if (terminalStatuses.has(run.lifecycle?.status) || signal.aborted) return;

  try {
    await followRun(runId, {
      onConnection: state => {
        connection.textContent = { live: 'Live: following the run.', reconnecting: 'Connection lost; reconnecting…', polling: 'Checking the run every 2 seconds.' }[state];
      },
      onProgress: progress => {
        run = { ...run, lifecycle: progress.lifecycle, total_tests: progress.total_tests, counts: progress.counts, timing: progress.timing };
        renderHeader();
      },
      onResult: result => {
        results.set(result.id, result);
        renderRowsSoon();
      },
      onFinal: async final => {
        run = final;
        renderHeader();
        connection.textContent = `The run ended: ${final.lifecycle?.status}.`;
        // The live rows may have missed a result; the list is exact.
        try {
          await reloadResults();
        } catch (error) {
          if (!signal.aborted) replace(tableStatus, errorMessage(error));
        }
      },
    }, signal);
  } catch (error) {
    if (!signal.aborted && !(error instanceof ApiError && error.status === 401)) replace(connection, errorMessage(error));
  }
}

function scopeText(run) {
  switch (run.scope?.type) {
    case 'block': return `block ${run.scope.block_id}`;
    case 'single': return `test ${run.scope.test_id}`;
    case 'rerun': return `rerun (${run.scope.only})`;
    default: return 'every test';
  }
}

function runLink(id) {
  return h('a', { href: `#/runs/${encodeURIComponent(id)}` }, id);
}

function fact(term, value) {
  return h('div', {}, h('dt', {}, term), h('dd', {}, value));
}

function resultRow(result, testNames) {
  const name = testNames.get(result.test_id);
  return h('tr', { 'data-result-id': result.id, 'data-verdict': result.verdict ?? '' },
    h('td', {}, h('a', { href: `#/results/${encodeURIComponent(result.id)}` }, name || result.test_id),
      name ? h('span', { class: 'sub' }, result.test_id) : null),
    h('td', {}, result.block_id),
    h('td', {}, statusBadge(result.lifecycle?.status)),
    h('td', {}, result.verdict ? statusBadge(result.verdict) : '—'),
    h('td', {}, result.assertion_result?.failure?.code ?? result.lifecycle?.details?.error_code ?? '—'),
    h('td', {}, formatDuration(result.timing?.duration_ms)));
}
