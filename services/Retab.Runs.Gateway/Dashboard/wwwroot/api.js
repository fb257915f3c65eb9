// Calls to this host's /v1 API with the signed-in key. The key lives in sessionStorage: it survives a reload of the
// tab but not the tab itself, and no other site can read it.

const keyName = 'retab-runs.api-key';

export const session = {
  key: () => sessionStorage.getItem(keyName),
  signIn: key => sessionStorage.setItem(keyName, key),
  signOut: () => sessionStorage.removeItem(keyName),
};

/** An answer that was not 2xx, with the API's {detail: {code, message}} (or the 422 list) read out. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Raised (and announced to the app) when the key is refused: the app goes back to the sign-in page. */
export class SignedOut extends ApiError {}

export function headers(extra = {}) {
  return { 'Api-Key': session.key() ?? '', Accept: 'application/json', ...extra };
}

/** Builds /v1… with the query parameters that have a value. */
export function url(path, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return `/v1${path}${text ? `?${text}` : ''}`;
}

export async function api(path, { method = 'GET', query, body, signal } = {}) {
  const response = await fetch(url(path, query), {
    method,
    signal,
    cache: 'no-store',
    headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.ok) return response.status === 204 ? null : response.json();
  throw await errorOf(response);
}

/** Reads an error answer; a 401 also tells the app to sign out. */
export async function errorOf(response) {
  let detail;
  try {
    detail = (await response.json())?.detail;
  } catch {
    detail = undefined;
  }
  let code = `http_${response.status}`;
  let message = `The service answered ${response.status}.`;
  if (Array.isArray(detail)) {
    code = 'validation_error';
    message = detail.map(item => `${(item.loc ?? []).join('.')}: ${item.msg}`).join('; ');
  } else if (detail && typeof detail === 'object') {
    code = detail.code ?? code;
    message = detail.message ?? message;
  }
  if (response.status === 401) {
    const error = new SignedOut(401, code, 'The API key was refused. Sign in again.');
    window.dispatchEvent(new CustomEvent('retab:signed-out', { detail: error.message }));
    return error;
  }
  if (response.status === 429) {
    const wait = response.headers.get('Retry-After');
    message = `${message}${wait ? ` Try again in ${wait} s.` : ''}`;
  }
  return new ApiError(response.status, code, message);
}

/** Every page of a list, up to maxPages (a run can hold 100 000 results; the table shows what was loaded). */
export async function allPages(path, query, { maxPages = 10, signal } = {}) {
  const rows = [];
  let after = null;
  for (let page = 0; page < maxPages; page++) {
    const list = await api(path, { query: { ...query, limit: 100, after }, signal });
    rows.push(...list.data);
    after = list.list_metadata?.after ?? null;
    if (!after) return { rows, more: null };
  }
  return { rows, more: after };
}
