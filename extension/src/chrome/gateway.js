// The FinScribe gateway (API.md). Every call carries the Google ID token; a 401 triggers
// one silent token renewal and one retry, then the user must sign in again. 429s wait
// and retry (lib/backoff.js).

import { fetchWithBackoff } from '../lib/backoff.js';
import { readSse } from '../lib/sse.js';
import { SignInRequired, gatewayToken, refresh } from './auth.js';
import { getConfig } from './config.js';
import { ApiError, errorFrom } from './errors.js';

const requestId = () => crypto.randomUUID();

async function send(method, path, { json, body, headers = {}, signal, onWait } = {}) {
  const { gatewayUrl, authMode } = await getConfig();
  const attempt = async () => {
    const token = await gatewayToken();
    return fetchWithBackoff(
      () =>
        fetch(`${gatewayUrl}${path}`, {
          method,
          signal,
          headers: {
            Authorization: `Bearer ${token}`,
            'X-Request-ID': requestId(),
            ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}),
            ...headers,
          },
          body: json !== undefined ? JSON.stringify(json) : body,
        }),
      { signal, onWait },
    );
  };
  let response = await attempt();
  if (response.status === 401 && authMode !== 'dev') {
    await refresh();
    response = await attempt();
    if (response.status === 401) throw new SignInRequired();
  }
  return response;
}

async function call(method, path, options) {
  const response = await send(method, path, options);
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return null;
  return response.json();
}

const listOf = (answer, ...keys) => {
  if (Array.isArray(answer)) return answer;
  for (const key of keys) if (Array.isArray(answer?.[key])) return answer[key];
  return [];
};

export const gateway = {
  me: () => call('GET', '/v1/me'),
  ensureSession: (docId, title) => call('POST', '/v1/sessions', { json: title ? { doc_id: docId, title } : { doc_id: docId } }),
  session: (sid) => call('GET', `/v1/sessions/${encodeURIComponent(sid)}`),
  listFiles: async (sid) => listOf(await call('GET', `/v1/sessions/${encodeURIComponent(sid)}/files`), 'files', 'items'),
  deleteFile: (sid, fileId) => call('DELETE', `/v1/sessions/${encodeURIComponent(sid)}/files/${encodeURIComponent(fileId)}`),
  listRuns: async (sid) => listOf(await call('GET', `/v1/sessions/${encodeURIComponent(sid)}/runs`), 'runs', 'items'),
  getRun: (runId) => call('GET', `/v1/runs/${encodeURIComponent(runId)}`),
  cancelRun: (runId) => call('POST', `/v1/runs/${encodeURIComponent(runId)}/cancel`),
  /** `{query, items: [{name, ticker, market, score}], ambiguous}` (API.md company search). */
  resolveCompanies: (q, { signal } = {}) => call('GET', `/v1/companies/resolve?q=${encodeURIComponent(q)}`, { signal }),

  /**
   * Approves (body `{}`) or edits then approves (`{outline}`) a draft waiting for its outline
   * review (API.md `POST /v1/runs/{id}/resume`) and yields the run's further events.
   */
  async *resumeRun(runId, body, { signal } = {}) {
    const response = await send('POST', `/v1/runs/${encodeURIComponent(runId)}/resume`, {
      json: body,
      headers: { Accept: 'text/event-stream' },
      signal,
    });
    if (!response.ok) throw await errorFrom(response);
    yield* readSse(response.body);
  },

  /** Starts a run and yields its events ({event, data}) as they arrive. */
  async *streamRun(sid, body, { signal, onWait } = {}) {
    const response = await send('POST', `/v1/sessions/${encodeURIComponent(sid)}/runs`, {
      json: body,
      headers: { Accept: 'text/event-stream' },
      signal,
      onWait,
    });
    if (!response.ok) throw await errorFrom(response);
    if (!(response.headers.get('Content-Type') ?? '').startsWith('text/event-stream')) {
      // a gateway that answered with the finished run instead of a stream
      const run = await response.json();
      yield { event: run.status === 'failed' ? 'run.failed' : 'run.completed', data: run };
      return;
    }
    yield* readSse(response.body);
  },

  /**
   * Re-attaches to a run (API.md `GET /v1/runs/{id}/events`): yields the events after `after`
   * (sent as `Last-Event-ID`; 0 replays the run from its first event), then live ones, until
   * the run's terminal event (a run whose events are gone answers with its outcome only).
   */
  async *runEvents(runId, { after = 0, signal } = {}) {
    const response = await send('GET', `/v1/runs/${encodeURIComponent(runId)}/events`, {
      headers: { Accept: 'text/event-stream', ...(after > 0 ? { 'Last-Event-ID': String(after) } : {}) },
      signal,
    });
    if (!response.ok) throw await errorFrom(response);
    yield* readSse(response.body);
  },

  /**
   * Uploads with XMLHttpRequest because fetch has no upload progress events.
   * onProgress(fraction 0..1); resolves with the file record.
   */
  async uploadFile(sid, file, { onProgress, signal } = {}) {
    const { gatewayUrl, authMode } = await getConfig();
    const once = async () => {
      const token = await gatewayToken();
      return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', `${gatewayUrl}/v1/sessions/${encodeURIComponent(sid)}/files`);
        xhr.setRequestHeader('Authorization', `Bearer ${token}`);
        xhr.setRequestHeader('X-Request-ID', requestId());
        xhr.responseType = 'json';
        xhr.upload.onprogress = (e) => e.lengthComputable && onProgress?.(e.loaded / e.total);
        xhr.onload = () => resolve(xhr);
        xhr.onerror = () => reject(new ApiError(0, 'network', 'upload failed'));
        xhr.onabort = () => reject(new DOMException('Aborted', 'AbortError'));
        signal?.addEventListener('abort', () => xhr.abort(), { once: true });
        const form = new FormData();
        form.append('file', file, file.name);
        xhr.send(form);
      });
    };
    let xhr = await once();
    if (xhr.status === 401 && authMode !== 'dev') {
      await refresh();
      xhr = await once();
      if (xhr.status === 401) throw new SignInRequired();
    }
    if (xhr.status < 200 || xhr.status >= 300) {
      const error = xhr.response?.error ?? {};
      throw new ApiError(xhr.status, error.code, error.message ?? `HTTP ${xhr.status}`, error.request_id);
    }
    onProgress?.(1);
    return xhr.response;
  },
};
