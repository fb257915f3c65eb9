// One result: what the block got and gave, the assertion, expected next to actual, and why it failed.

import { api } from './api.js';
import { h, replace, statusBadge, timeElement, formatDuration, jsonBlock, loading, errorMessage } from './dom.js';

export async function showResult(main, resultId, signal) {
  const heading = h('h1', { tabindex: -1 }, 'Result ', h('code', {}, resultId));
  replace(main, heading, loading());
  let result;
  try {
    result = await api(`/workflows/tests/results/${encodeURIComponent(resultId)}`, { signal });
  } catch (error) {
    replace(main, heading, errorMessage(error), h('p', {}, h('a', { href: '#/runs' }, 'Back to the runs')));
    return;
  }
  // The assertion's target lives on the test; a test deleted since the run leaves only what the result recorded.
  const test = await api(`/workflows/tests/${encodeURIComponent(result.test_id)}`, { signal }).catch(() => null);
  const assertion = result.assertion_result;
  const failure = assertion?.failure;
  const runId = result.workflow_test_run_id ?? result.run_id;

  replace(main,
    h('nav', { 'aria-label': 'Breadcrumb', class: 'crumbs' },
      h('a', { href: '#/runs' }, 'Runs'), ' / ', h('a', { href: `#/runs/${encodeURIComponent(runId)}` }, runId), ' / ', resultId),
    heading,
    h('section', { class: 'card', 'aria-label': 'Summary' },
      h('dl', { class: 'facts' },
        fact('Test', test?.name ? `${test.name} (${result.test_id})` : result.test_id),
        fact('Verdict', h('span', { id: 'result-verdict' }, result.verdict ? statusBadge(result.verdict) : '—')),
        fact('Lifecycle', statusBadge(result.lifecycle?.status)),
        fact('Block', `${result.block_id} (${result.block_type})`),
        fact('Started', timeElement(result.timing?.started_at)),
        fact('Completed', timeElement(result.timing?.completed_at)),
        fact('Duration', formatDuration(result.timing?.duration_ms)),
        fact('Attempt', result.attempt ?? '—'),
        fact('Worker', result.worker_id ?? '—'))),
    result.lifecycle?.message
      ? h('section', { class: 'card failure', 'aria-labelledby': 'lifecycle-error-title' },
        h('h2', { id: 'lifecycle-error-title' }, 'Lifecycle error'),
        h('p', {}, h('code', {}, result.lifecycle.details?.error_code ?? 'error'), ' ', result.lifecycle.message))
      : null,
    failure
      ? h('section', { class: 'card failure', 'aria-labelledby': 'failure-title' },
        h('h2', { id: 'failure-title' }, 'Failure'),
        h('p', {}, h('code', { id: 'failure-code' }, failure.code), ' ', h('span', { id: 'failure-message' }, failure.message)),
        failure.details ? jsonBlock(failure.details, 'Failure details') : null)
      : null,
    h('section', { class: 'card', 'aria-labelledby': 'assertion-title' },
      h('h2', { id: 'assertion-title' }, 'Assertion'),
      h('dl', { class: 'facts' },
        fact('Output handle', test?.assertion?.target?.output_handle_id ?? '—'),
        fact('Path', test?.assertion?.target?.path ?? '(the whole output)'),
        fact('Condition', assertion?.condition_kind ?? test?.assertion?.condition?.kind ?? '—'),
        fact('Outcome', assertion?.outcome ? statusBadge(assertion.outcome) : '—'),
        assertion?.assertion_label ? fact('Label', assertion.assertion_label) : null,
        assertion?.score !== null && assertion?.score !== undefined ? fact('Score', `${assertion.score} (threshold ${assertion.threshold}, ${assertion.metric_kind})`) : null),
      test?.assertion?.condition ? h('details', {}, h('summary', {}, 'Condition as saved'), jsonBlock(test.assertion.condition, 'Condition')) : null,
      h('div', { class: 'compare' },
        h('figure', { id: 'expected' }, h('figcaption', {}, 'Expected'), jsonBlock(assertion?.expected_value ?? null, 'Expected value')),
        h('figure', { id: 'actual' }, h('figcaption', {}, 'Actual'), jsonBlock(assertion?.actual_value ?? null, 'Actual value')))),
    h('section', { class: 'card', 'aria-labelledby': 'inputs-title' },
      h('h2', { id: 'inputs-title' }, 'Inputs'), jsonBlock(result.handle_inputs, 'Handle inputs')),
    h('section', { class: 'card', 'aria-labelledby': 'outputs-title' },
      h('h2', { id: 'outputs-title' }, 'Block output'), jsonBlock(result.handle_outputs, 'Handle outputs')),
    result.warnings?.length ? h('section', { class: 'card', 'aria-labelledby': 'warnings-title' },
      h('h2', { id: 'warnings-title' }, 'Warnings'), h('ul', {}, result.warnings.map(w => h('li', {}, w)))) : null);
  heading.focus();
}

function fact(term, value) {
  return h('div', {}, h('dt', {}, term), h('dd', {}, value));
}
