// Builds the body of POST /v1/sessions/{sid}/runs from the panel's form, per kind
// (API.md), refusing what the gateway would refuse so the user sees why at once.
// The limits are the kit's run contract (finscribe_common.contract.runs); the tests
// check every constant here and every request built against its exported JSON Schema
// (docs/run-contract.schema.json), so the panel and the gateway cannot drift apart.

export const KINDS = ['draft', 'paragraph', 'rewrite', 'chart', 'ask'];
export const REWRITE_MODES = ['summarize', 'expand', 'polish', 'formal', 'translate_ko', 'translate_en'];
export const LENGTHS = ['short', 'standard', 'long'];
export const MAX_PROMPT_CHARS = 8000;
export const MAX_COMPANY_CHARS = 100;
// a peer comparison (options.companies): 2-5 distinct companies
export const PEERS_RANGE = [2, 5];
export const MAX_SECTIONS = 12;
export const MAX_SECTION_TITLE_CHARS = 200;
export const MAX_REWRITE_CHARS = 20000;
export const TARGET_CHARS_RANGE = [20, 20000];
export const MAX_FILES = 100;
const FILE_ID = /^[0-9a-f]{32}$/;
// a report template (GET /v1/templates): a built-in id or a saved one (u_ + 32 hex digits)
export const TEMPLATE_ID_PATTERN = /^(?:[a-z][a-z_]{2,39}|u_[0-9a-f]{32})$/;

export class FormError extends Error {
  constructor(field, code) {
    super(`${field}: ${code}`);
    this.field = field;
    this.code = code;
  }
}

// A lone UTF-16 surrogate (half an emoji from a paste) is no character: the gateway refuses
// the whole request with 422, so it becomes U+FFFD here, as Docs would show it.
const text = (v) => (typeof v === 'string' ? v.toWellFormed().trim() : '');

// JavaScript counts UTF-16 units; the contract counts code points (Python's len)
const chars = (s) => [...s].length;

function optionalCompany(form, options) {
  const company = text(form.company);
  if (chars(company) > MAX_COMPANY_CHARS) throw new FormError('company', 'too_long');
  if (company) options.company = company;
}

/** The companies of a peer comparison: a list, or one string split at commas and new lines. */
export function parseCompanies(value) {
  const items = Array.isArray(value) ? value : String(value ?? '').split(/[,\n]/);
  return items.map(text).filter(Boolean);
}

function optionalCompanies(form, options) {
  const companies = parseCompanies(form.companies);
  if (!companies.length) return;
  if (companies.length < PEERS_RANGE[0] || companies.length > PEERS_RANGE[1]) throw new FormError('companies', 'count');
  if (companies.some((c) => chars(c) > MAX_COMPANY_CHARS)) throw new FormError('companies', 'too_long');
  // NFKC + lower case stands in for Python's casefold (the contract's distinctness check)
  if (new Set(companies.map((c) => c.normalize('NFKC').toLowerCase())).size !== companies.length) throw new FormError('companies', 'duplicate');
  if (options.company) throw new FormError('companies', 'with_company');
  options.companies = companies;
}

function optionalAsOf(form, options) {
  const asOf = text(form.as_of);
  if (!asOf) return;
  // a real calendar day: Date.parse accepts 2024-02-30 (as March 1), the gateway does not
  const day = /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? new Date(`${asOf}T00:00:00Z`) : null;
  if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== asOf) throw new FormError('as_of', 'invalid');
  options.as_of = asOf;
}

// The PDFs the user chose for the run (form.file_ids: an array; absent: all of them).
function chosenFiles(form, options) {
  if (!Array.isArray(form.file_ids)) return;
  const ids = [...new Set(form.file_ids.map(String))];
  if (ids.length > MAX_FILES || ids.some((id) => !FILE_ID.test(id))) throw new FormError('file_ids', 'invalid');
  options.file_ids = ids;
}

/** form: plain values from the panel's inputs. Returns {kind, prompt, options}. */
export function buildRunRequest(kind, form) {
  if (!KINDS.includes(kind)) throw new FormError('kind', 'unknown');
  const prompt = text(form.prompt);
  if (chars(prompt) > MAX_PROMPT_CHARS) throw new FormError('prompt', 'too_long');
  const language = form.language === 'en' ? 'en' : 'ko';
  const options = {};
  switch (kind) {
    case 'draft': {
      optionalCompany(form, options);
      optionalCompanies(form, options);
      if (!prompt && !options.company && !options.companies) throw new FormError('prompt', 'required');
      options.length = LENGTHS.includes(form.length) ? form.length : 'standard';
      const sections = text(form.sections)
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
      if (sections.length > MAX_SECTIONS) throw new FormError('sections', 'too_many');
      if (sections.some((s) => chars(s) > MAX_SECTION_TITLE_CHARS)) throw new FormError('sections', 'too_long');
      if (sections.length && options.companies) throw new FormError('sections', 'with_companies');
      if (sections.length) options.sections = sections;
      options.language = language;
      optionalAsOf(form, options);
      // stop after the outline for the user's review (outline.review / run.waiting, then
      // POST /v1/runs/{run_id}/resume); the panel turns it on by default
      if (form.review_outline) options.review_outline = true;
      chosenFiles(form, options);
      const template = text(form.template);
      if (template) {
        if (!TEMPLATE_ID_PATTERN.test(template)) throw new FormError('template', 'invalid');
        if (options.sections) throw new FormError('template', 'with_sections');
        options.template = template;
      }
      break;
    }
    case 'paragraph':
      if (!prompt) throw new FormError('prompt', 'required');
      options.use_files = !!form.use_files;
      optionalCompany(form, options);
      options.language = language;
      optionalAsOf(form, options);
      if (options.use_files) chosenFiles(form, options);
      break;
    case 'rewrite': {
      const source = text(form.text);
      if (!source) throw new FormError('text', 'required');
      if (chars(source) > MAX_REWRITE_CHARS) throw new FormError('text', 'too_long');
      options.text = source;
      options.mode = REWRITE_MODES.includes(form.mode) ? form.mode : 'polish';
      const target = Number(form.target_chars);
      if (form.target_chars !== undefined && form.target_chars !== '' && form.target_chars !== null) {
        if (!Number.isInteger(target) || target < TARGET_CHARS_RANGE[0] || target > TARGET_CHARS_RANGE[1]) throw new FormError('target_chars', 'invalid');
        options.target_chars = target;
      }
      // the language of the run's messages (warnings, steps); the text's own follows the mode
      if (form.language === 'en') options.language = 'en';
      break;
    }
    case 'chart':
      optionalCompany(form, options);
      if (text(form.file_id)) options.file_id = text(form.file_id);
      if (!prompt && !options.company && !options.file_id) throw new FormError('prompt', 'required');
      optionalAsOf(form, options);
      if (form.language === 'en') options.language = 'en'; // title, axes, legend and table (default ko)
      break;
    case 'ask':
      if (!prompt) throw new FormError('prompt', 'required');
      optionalCompany(form, options);
      if (form.language === 'en') options.language = 'en'; // the answer's language (default ko)
      optionalAsOf(form, options);
      chosenFiles(form, options);
      break;
    default:
      break;
  }
  return { kind, prompt, options };
}
