/**
 * The workflow HTTP API over `fetch`. Sends what the page was given: the `Authorization` header
 * the user entered (kept in sessionStorage) and the origin's cookies.
 */

const TOKEN_KEY = 'workflow-mastery.dashboard.authorization';

/** An API answer that is not 2xx, with the API's `{ error: { code, message } }`. */
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** 401 or 403: the caller may not see or do this. */
  get refused() {
    return this.status === 401 || this.status === 403;
  }

  /** `403 WF_FORBIDDEN: Forbidden: "guest" may not perform instances.list here.` */
  get summary() {
    return `${this.status ? `${this.status} ` : ''}${this.code}: ${this.message}`;
  }
}

/** The `Authorization` header value stored for this tab, if any. */
export function storedAuthorization() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

/** Keep (or with `''`, forget) the `Authorization` value; a bare token becomes `Bearer <token>`. */
export function storeAuthorization(value) {
  const text = String(value ?? '').trim();
  const header = text === '' ? '' : /^[A-Za-z][\w-]*\s+\S/.test(text) ? text : `Bearer ${text}`;
  try {
    if (header) sessionStorage.setItem(TOKEN_KEY, header);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage disabled: the header lasts as long as the page */
  }
  return header;
}

/** `{ a: 1, b: undefined }` → `?a=1`. */
export function queryString(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) if (value !== undefined && value !== null && value !== '') q.set(key, String(value));
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** A client of the API mounted at `apiBase`. */
export function createApi(apiBase) {
  const base = String(apiBase).replace(/\/+$/, '');

  async function request(method, path, body) {
    const headers = { accept: 'application/json' };
    const auth = storedAuthorization();
    if (auth) headers.authorization = auth;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res;
    try {
      res = await fetch(base + path, { method, headers, credentials: 'same-origin', cache: 'no-store', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (error) {
      throw new ApiError(0, 'WF_NETWORK', `the API at ${base || '/'} did not answer (${error.message})`);
    }
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const err = json && typeof json === 'object' ? json.error : undefined;
      throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? (text.slice(0, 200) || res.statusText), err?.details);
    }
    return json;
  }

  const enc = encodeURIComponent;
  return {
    listInstances: (query) => request('GET', `/instances${queryString(query)}`),
    getInstance: (id) => request('GET', `/instances/${enc(id)}`),
    getHistory: (id) => request('GET', `/instances/${enc(id)}/history`),
    /** `{ instanceId, operations }`: what the caller may do on the instance (`instances.pause`...). */
    getPermissions: (id) => request('GET', `/instances/${enc(id)}/permissions`),
    command: (id, command, body = {}) => request('POST', `/instances/${enc(id)}/${command}`, body),
    signal: (id, name, payload = {}) => request('POST', `/instances/${enc(id)}/signals/${enc(name)}`, payload),
    listTasks: (query) => request('GET', `/tasks${queryString(query)}`),
    getTask: (id) => request('GET', `/tasks/${enc(id)}`),
    claimTask: (id) => request('POST', `/tasks/${enc(id)}/claim`, {}),
    completeTask: (id, data) => request('POST', `/tasks/${enc(id)}/complete`, { data }),
    /** `{ items, versions? }`: loaded definitions in their storable format, and every stored version (newer servers). */
    listDefinitions: () => request('GET', '/definitions'),
    /** `{ name, version, hash, storedAt, definition }`: a stored version with its source. */
    getDefinitionVersion: (name, version) => request('GET', `/definitions/${enc(name)}/versions/${enc(version)}`),
    /** The migration plan of one instance (`dryRun: true` changes nothing). */
    migrate: (id, body) => request('POST', `/instances/${enc(id)}/migrate`, body),
    retryFrom: (id, stepId) => request('POST', `/instances/${enc(id)}/steps/${enc(stepId)}/retry`, {}),
    skipStep: (id, stepId, data) => request('POST', `/instances/${enc(id)}/steps/${enc(stepId)}/skip`, data === undefined ? {} : { data }),
    updateData: (id, patch) => request('PATCH', `/instances/${enc(id)}/data`, { patch }),
  };
}
