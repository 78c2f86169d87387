// Step details and warnings in the panel's language. The orchestrator sends each with a stable
// code and its params (API.md: a step's `detail_code` + `detail_params`, a warning's `code` +
// `params`) besides its sentence in the *run's* language, which is the document's language and
// may differ from the panel's (an English panel writing a Korean draft). The sentences are the
// orchestrator's own (finscribe_orchestrator/messages.py), copied into _locales as
// `srv_<code>` by tools/locales.py, with `{name}` placeholders filled here. Pure: no chrome.*.

/** The _locales message name of a server message code. */
export const serverKey = (code) => `srv_${code}`;

/** The _locales message name of a data service's label (`krx`, `dart`, ...). */
export const serviceKey = (service) => `srv_svc_${service}`;

function shown(value) {
  if (Array.isArray(value)) return value.map(shown).join(', ');
  if (value === null || value === undefined) return '';
  return String(value);
}

// a param that is a sentence of its own (a fallback's `reason`): `{key, params}`, the server's
// message key and what it names
const isSentence = (value) =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.key === 'string';

/**
 * `template` with every `{name}` replaced by `params[name]` (lists joined by ", "; a nested
 * `{key, params}` by its own sentence, looked up with `lookup`).
 * @param {(key:string) => string} [lookup] a message by name, for nested sentences
 * @returns {string|null} null when the template names a param that is missing, or a nested
 *   sentence cannot be said here (the caller then shows the server's sentence)
 */
export function fillMessage(template, params, lookup) {
  let missing = false;
  const text = template.replace(/\{([a-z_]+)\}/g, (_, name) => {
    if (!params || !(name in params)) {
      missing = true;
      return '';
    }
    const value = params[name];
    if (!isSentence(value)) return shown(value);
    const inner = lookup ? lookup(serverKey(value.key)) : '';
    const said = inner ? fillMessage(inner, value.params ?? {}, lookup) : null;
    if (said === null) missing = true;
    return said ?? '';
  });
  return missing ? null : text;
}

/**
 * A step's detail in the panel's language.
 * @param {(key:string) => string} lookup a message by name, '' when there is none (chrome.i18n.getMessage)
 * @param {{detail?:string, detail_code?:string, detail_params?:object}} step the `step` event
 * @returns {string} '' for a step without detail; the server's sentence when the code is unknown here
 */
export function stepDetail(lookup, step) {
  const fallback = typeof step?.detail === 'string' ? step.detail : '';
  const code = step?.detail_code;
  if (typeof code !== 'string' || !code) return fallback;
  const template = lookup(serverKey(code));
  if (!template) return fallback;
  return fillMessage(template, step.detail_params ?? {}) ?? fallback;
}

/**
 * A warning's specific sentence (which number, which section) in the panel's language, from its
 * message `key` (a code may have several sentences; older runs have none: the code) and `params`.
 * @param {(key:string) => string} lookup as for stepDetail
 * @param {{code?:string, key?:string, message?:string, params?:object}} warning the `warning` event or result entry
 * @returns {string} the server's `message` when the key or a param is unknown here
 */
export function warningDetail(lookup, warning) {
  const fallback = String(warning?.message ?? warning?.code ?? '');
  const code = typeof warning?.key === 'string' && warning.key ? warning.key : warning?.code;
  if (typeof code !== 'string' || !warning?.params || typeof warning.params !== 'object') return fallback;
  const template = lookup(serverKey(code));
  if (!template) return fallback;
  const params = { ...warning.params };
  // the service's label was written in the run's language; the panel names it in its own
  if (typeof params.service === 'string' && lookup(serviceKey(params.service))) {
    params.service_label = lookup(serviceKey(params.service));
  }
  return fillMessage(template, params, lookup) ?? fallback;
}
