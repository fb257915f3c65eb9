// Follows a run's live stream (GET /v1/workflows/tests/runs/{id}/events?results=true). EventSource cannot send the
// Api-Key header, so the stream is read with fetch and parsed here: "event:", "id:", "data:" lines, a blank line ends
// an event. A dropped connection is resumed with Last-Event-ID until the final event arrives.

import { api, errorOf, headers, url, ApiError } from './api.js';
import { terminalStatuses } from './dom.js';

const finalEvents = new Set(['completed', 'cancelled', 'error']);

/** Parses SSE text as it arrives; calls onEvent({event, id, data}) for every complete event. */
export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.reset();
  }

  reset() {
    this.event = '';
    this.data = [];
    this.id = null;
  }

  push(text) {
    this.buffer += text;
    let end;
    while ((end = this.buffer.search(/\r\n|\n|\r/)) >= 0) {
      // A lone "\r" at the very end may be the first half of "\r\n": wait for the next chunk.
      if (this.buffer[end] === '\r' && end === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + (this.buffer.startsWith('\r\n', end) ? 2 : 1));
      this.line(line);
    }
  }

  line(line) {
    if (line === '') {
      if (this.data.length > 0) this.onEvent({ event: this.event || 'message', id: this.id, data: this.data.join('\n') });
      this.reset();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }
}

const delay = (ms, signal) => new Promise(resolve => {
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

/**
 * Follows the run until its final event (or until signal aborts). Handlers: onProgress(progress), onResult(result),
 * onFinal(run), onConnection(state) with state 'live' | 'reconnecting' | 'polling'.
 * If the host has no stream route (an older gateway), it polls the run instead.
 */
export async function followRun(runId, handlers, signal) {
  const path = `/workflows/tests/runs/${encodeURIComponent(runId)}/events`;
  let lastEventId = null;
  let failures = 0;
  while (!signal.aborted) {
    let response;
    try {
      const extra = { Accept: 'text/event-stream' };
      if (lastEventId) extra['Last-Event-ID'] = lastEventId;
      response = await fetch(url(path, { results: 'true' }), { headers: headers(extra), signal, cache: 'no-store' });
    } catch (error) {
      if (signal.aborted) return;
      await backOff();
      continue;
    }
    if (!response.ok) {
      const error = await errorOf(response);
      if (error.status === 401 || error.code === 'run_not_found') throw error;
      // A cursor the server does not accept any more: start over (results are deduplicated by id).
      if (error.status === 422 && lastEventId) { lastEventId = null; continue; }
      if (error.status === 404 || error.status === 405) return pollRun(runId, handlers, signal);
      await backOff();
      continue;
    }
    handlers.onConnection?.('live');
    failures = 0;
    let ended = false;
    const parser = new SseParser(event => {
      if (event.id) lastEventId = event.id;
      if (ended) return;
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      if (event.event === 'progress') handlers.onProgress?.(data);
      else if (event.event === 'result') handlers.onResult?.(data);
      else if (finalEvents.has(event.event)) { ended = true; handlers.onFinal?.(data); }
    });
    try {
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      while (!ended) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
      }
      if (ended) reader.cancel().catch(() => {});
    } catch {
      if (signal.aborted) return;
    }
    if (ended) return;
    await backOff();
  }

  async function backOff() {
    handlers.onConnection?.('reconnecting');
    failures++;
    await delay(Math.min(500 * 2 ** Math.min(failures, 5), 10000), signal);
  }
}

/** Without a stream: the run every two seconds, as progress, until it is terminal. */
async function pollRun(runId, handlers, signal) {
  handlers.onConnection?.('polling');
  while (!signal.aborted) {
    let run;
    try {
      run = await api(`/workflows/tests/runs/${encodeURIComponent(runId)}`, { signal });
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiError && (error.status === 401 || error.status === 404)) throw error;
      await delay(2000, signal);
      continue;
    }
    if (terminalStatuses.has(run.lifecycle?.status)) {
      handlers.onFinal?.(run);
      return;
    }
    handlers.onProgress?.(run);
    await delay(2000, signal);
  }
}
