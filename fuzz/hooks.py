"""Schemathesis checks of our own (loaded through SCHEMATHESIS_HOOKS by test_fuzz.py).

`no_internal_error`: no 500 (or any 5xx other than the contract's 502/503/504, which say
an upstream or dependency failed: the replayed KRX/DART/Yahoo hold only the recorded
ranges, so a well-formed request outside them is an honest 502).
`error_envelope`: every 4xx/5xx body is docs/API.md's `{"error": {"code", "message",
"request_id"}}` with JSON media type, whatever the route documents.
"""

import json

import schemathesis

UPSTREAM_STATUSES = frozenset({502, 503, 504})


@schemathesis.check
def no_internal_error(ctx, response, case):
    if response.status_code >= 500 and response.status_code not in UPSTREAM_STATUSES:
        raise AssertionError(f"server error {response.status_code}: {response.text[:500]}")


@schemathesis.check
def error_envelope(ctx, response, case):
    if response.status_code < 400:
        return
    media = response.headers.get("content-type", [""])
    media = media[0] if isinstance(media, list) else media
    if not str(media).startswith("application/json"):
        raise AssertionError(f"error {response.status_code} is not JSON ({media}): {response.text[:300]}")
    try:
        body = json.loads(response.text)
    except ValueError as exc:
        raise AssertionError(f"error {response.status_code} body is not JSON: {response.text[:300]}") from exc
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or not all(isinstance(error.get(k), str) for k in ("code", "message", "request_id")):
        raise AssertionError(f"error {response.status_code} is not the envelope: {response.text[:300]}")
