// Google Docs REST API: documents.get and documents.batchUpdate (never DOM tricks on the
// Docs page). 401 -> one silent token renewal and retry; 429 -> backoff; a writeControl
// revision mismatch -> ConflictError for the caller to re-read and ask.

import { fetchWithBackoff } from '../lib/backoff.js';
import { isRevisionConflict } from '../lib/doc-outline.js';
import { SignInRequired, docsToken, refresh } from './auth.js';
import { getConfig } from './config.js';
import { ApiError, ConflictError } from './errors.js';

async function send(method, path, body, { onWait } = {}) {
  const { docsApiUrl } = await getConfig();
  const attempt = async () => {
    const token = await docsToken();
    return fetchWithBackoff(
      () =>
        fetch(`${docsApiUrl}${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${token}`,
            ...(body ? { 'Content-Type': 'application/json' } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        }),
      { onWait },
    );
  };
  let response = await attempt();
  if (response.status === 401) {
    await refresh();
    response = await attempt();
    if (response.status === 401) throw new SignInRequired();
  }
  let json = null;
  try {
    json = await response.json();
  } catch {
    // empty or not JSON
  }
  if (response.ok) return json;
  if (isRevisionConflict(response.status, json)) throw new ConflictError(json.error.message);
  throw new ApiError(response.status, json?.error?.status, json?.error?.message ?? `HTTP ${response.status}`);
}

export const docsApi = {
  get: (docId, options) => send('GET', `/v1/documents/${encodeURIComponent(docId)}`, null, options),
  batchUpdate: (docId, body, options) => send('POST', `/v1/documents/${encodeURIComponent(docId)}:batchUpdate`, body, options),
};
