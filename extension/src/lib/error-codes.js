// Every error (and warning) code the panel can meet, mapped to a sentence in the panel's
// language (`err_<code>` in _locales, written in tools/locales.py) and the one action that
// helps. Pure: no chrome.*. The codes come from the gateway, the orchestrator (relayed by the
// gateway in run.failed and warning events), the shared kit's ApiError classes, Google's Docs
// API (its `status` strings) and the panel itself; tests/error-codes.test.mjs reads the server
// sources and fails when a code they can emit has no entry here or no sentence.

/** What the action button next to an error does. */
export const ACTION = Object.freeze({ retry: 'retry', options: 'options', signIn: 'signIn', none: 'none' });

const R = ACTION.retry;
const O = ACTION.options;
const S = ACTION.signIn;
const N = ACTION.none;

/** code -> action. The sentence is the `err_<code>` message. */
export const ERROR_CODES = Object.freeze({
  // gateway and kit (HTTP envelope)
  bad_request: N,
  unauthenticated: S,
  invalid_token: S,
  token_expired: S,
  email_not_verified: S,
  forbidden: N,
  not_found: N,
  conflict: N,
  run_finished: N,
  too_large: N,
  too_many_files: N,
  invalid_file: N,
  unsupported_media_type: N,
  validation_error: N,
  prompt_too_long: N,
  rate_limited: R,
  quota_exceeded: R,
  too_many_concurrent_runs: R,
  upstream_error: R,
  not_configured: O,
  unavailable: R,
  upstream_timeout: R,
  // outline review, durable runs and templates (issue 18)
  run_resumed: N,
  review_expired: R,
  not_resumable: R,
  run_not_waiting: N,
  template_needs_companies: N,
  template_one_company: N,
  duplicate_company: N,
  peer_chart_partial: N,
  template_not_found: N,
  file_not_found: R,
  too_many_templates: N,
  template_exists: N,
  builtin_template: N,
  // run outcomes (run.failed, stored run.error)
  cancelled: N,
  run_failed: R,
  run_expired: R,
  run_timeout: R,
  internal_error: R,
  gateway_restarted: R,
  gateway_shutdown: R,
  orchestrator_error: R,
  orchestrator_unavailable: R,
  orchestrator_disconnected: R,
  orchestrator_protocol: R,
  llm_unavailable: R,
  llm_error: R,
  bad_csv: N,
  no_data: R,
  file_unavailable: R,
  no_sources: N,
  body_timeout: R,
  date_out_of_range: N,
  pdf_encrypted: N,
  citation_corrected: N,
  csv_unparsed_cells: N,
  // warnings (the run went on without something)
  chart_dropped: N,
  ambiguous_company: N,
  company_not_found: N,
  not_in_demo: N,
  not_recorded_in_demo: N,
  outline_fallback: N,
  chart_spec_fallback: N,
  section_fallback: N,
  source_unavailable: N,
  unverified_number: N,
  unsupported_claim: N,
  unknown_citation: N,
  number_dropped: N,
  // the panel itself and Google
  network: R,
  sign_in_required: S,
  client_not_configured: O,
  revision_conflict: N,
  undo_conflict: N,
  PERMISSION_DENIED: N,
  NOT_FOUND: N,
  INVALID_ARGUMENT: N,
  RESOURCE_EXHAUSTED: R,
  UNAVAILABLE: R,
  server_error: R,
  request_error: N,
});

/**
 * The sentence key and action for an error.
 * @param {{code?:string, status?:number, name?:string, message?:string}} error
 * @returns {{code:string, key:string, action:string}} key is an _locales message name
 */
export function describeError(error) {
  let code = typeof error?.code === 'string' ? error.code : '';
  // the OAuth client id missing in the options is the panel's own not_configured (no HTTP status)
  if (code === 'not_configured' && !error?.status) code = 'client_not_configured';
  if (!code || !(code in ERROR_CODES)) {
    // fetch's TypeError ("Failed to fetch") and an XHR network failure: the gateway is unreachable
    if (error?.name === 'TypeError' || error?.status === 0 || code === 'http_0') code = 'network';
    else if (Number(error?.status) >= 500 || /^http_5/.test(code)) code = 'server_error';
    else code = 'request_error';
  }
  return { code, key: `err_${code}`, action: ERROR_CODES[code] };
}
