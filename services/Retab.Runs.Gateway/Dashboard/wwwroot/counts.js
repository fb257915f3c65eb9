// A run's counts as one stacked bar, with the numbers in words for screen readers and as a legend.

import { h } from './dom.js';

export const countKinds = ['passed', 'failed', 'blocked', 'error', 'cancelled', 'queued', 'running'];

export function countsSummary(counts) {
  return countKinds.filter(kind => (counts?.[kind] ?? 0) > 0).map(kind => `${counts[kind]} ${kind}`).join(', ') || 'no tests';
}

/** The stacked bar; widths are set through the CSSOM (allowed by the page's CSP, unlike style attributes). */
export function countsBar(counts, total) {
  const sum = total || countKinds.reduce((all, kind) => all + (counts?.[kind] ?? 0), 0);
  const bar = h('span', { class: 'bar', role: 'img', 'aria-label': countsSummary(counts), title: countsSummary(counts) });
  for (const kind of countKinds) {
    const value = counts?.[kind] ?? 0;
    if (value <= 0) continue;
    const segment = h('span', { class: `segment segment-${kind}`, 'data-kind': kind, 'data-count': value });
    segment.style.width = `${(100 * value) / Math.max(sum, 1)}%`;
    bar.append(segment);
  }
  return bar;
}

/** Every count with its number, as a definition list: what tests read and what people compare. */
export function countsLegend(counts) {
  return h('dl', { class: 'legend' }, countKinds.map(kind => h('div', { class: `legend-item legend-${kind}` },
    h('dt', {}, kind),
    h('dd', { 'data-count': kind }, String(counts?.[kind] ?? 0)))));
}

export function doneCount(counts) {
  return ['passed', 'failed', 'blocked', 'error', 'cancelled'].reduce((all, kind) => all + (counts?.[kind] ?? 0), 0);
}
