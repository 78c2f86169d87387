// Retrying a request that answered 429 (or 503 with Retry-After): wait what the server
// asked for, else exponential backoff with full jitter; give up after a few attempts.

/** Seconds from a Retry-After header (delta-seconds or HTTP date), or null. */
export function retryAfterMs(header, now = Date.now()) {
  if (header == null || header === '') return null;
  const text = String(header).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const when = Date.parse(text);
  if (Number.isNaN(when)) return null;
  return Math.max(0, when - now);
}

export function backoffDelay(attempt, { baseMs = 500, maxMs = 8000, random = Math.random } = {}) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

const sleepFor = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
      },
      { once: true },
    );
  });

/**
 * Calls `send()` (which returns a fetch Response) until it is not 429, at most `attempts` times.
 * `onWait(ms, attempt)` lets the UI say that it is waiting.
 */
export async function fetchWithBackoff(send, { attempts = 4, maxWaitMs = 30000, signal, onWait, sleep = sleepFor, ...opts } = {}) {
  for (let attempt = 0; ; attempt += 1) {
    const response = await send();
    const retriable = response.status === 429 || (response.status === 503 && response.headers.get('Retry-After'));
    if (!retriable || attempt >= attempts - 1) return response;
    const asked = retryAfterMs(response.headers.get('Retry-After'));
    const wait = Math.min(maxWaitMs, asked ?? backoffDelay(attempt, opts));
    onWait?.(wait, attempt + 1);
    await sleep(wait, signal);
  }
}
