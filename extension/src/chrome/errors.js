// Errors the panel shows: the gateway's envelope {"error": {code, message, request_id}}
// and Google's {"error": {code, message, status}} both end up here.

export class ApiError extends Error {
  constructor(status, code, message, requestId = null) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || `http_${status}`;
    this.requestId = requestId;
  }
}

export class ConflictError extends Error {
  constructor(message) {
    super(message);
    this.code = 'revision_conflict';
  }
}

export async function errorFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON
  }
  const error = body?.error ?? {};
  return new ApiError(
    response.status,
    typeof error.code === 'string' ? error.code : error.status,
    error.message ?? response.statusText,
    error.request_id ?? response.headers.get('X-Request-ID'),
  );
}
