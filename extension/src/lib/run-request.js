// Builds the body of POST /v1/sessions/{sid}/runs from the panel's form, per kind
// (API.md), refusing what the gateway would refuse so the user sees why at once.

export const KINDS = ['draft', 'paragraph', 'rewrite', 'chart', 'ask'];
export const REWRITE_MODES = ['summarize', 'expand', 'polish', 'formal', 'translate_ko', 'translate_en'];
export const LENGTHS = ['short', 'standard', 'long'];
export const MAX_PROMPT_CHARS = 4000;

export class FormError extends Error {
  constructor(field, code) {
    super(`${field}: ${code}`);
    this.field = field;
    this.code = code;
  }
}

const text = (v) => (typeof v === 'string' ? v.trim() : '');

function optionalCompany(form, options) {
  const company = text(form.company);
  if (company) options.company = company;
}

/** form: plain values from the panel's inputs. Returns {kind, prompt, options}. */
export function buildRunRequest(kind, form) {
  if (!KINDS.includes(kind)) throw new FormError('kind', 'unknown');
  const prompt = text(form.prompt);
  if (prompt.length > MAX_PROMPT_CHARS) throw new FormError('prompt', 'too_long');
  const language = form.language === 'en' ? 'en' : 'ko';
  const options = {};
  switch (kind) {
    case 'draft': {
      optionalCompany(form, options);
      if (!prompt && !options.company) throw new FormError('prompt', 'required');
      options.length = LENGTHS.includes(form.length) ? form.length : 'standard';
      const sections = text(form.sections)
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
      if (sections.length) options.sections = sections;
      options.language = language;
      const asOf = text(form.as_of);
      if (asOf) {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) throw new FormError('as_of', 'invalid');
        options.as_of = asOf;
      }
      break;
    }
    case 'paragraph':
      if (!prompt) throw new FormError('prompt', 'required');
      options.use_files = !!form.use_files;
      optionalCompany(form, options);
      options.language = language;
      break;
    case 'rewrite': {
      const source = text(form.text);
      if (!source) throw new FormError('text', 'required');
      options.text = source;
      options.mode = REWRITE_MODES.includes(form.mode) ? form.mode : 'polish';
      const target = Number(form.target_chars);
      if (form.target_chars !== undefined && form.target_chars !== '' && form.target_chars !== null) {
        if (!Number.isInteger(target) || target < 20 || target > 20000) throw new FormError('target_chars', 'invalid');
        options.target_chars = target;
      }
      break;
    }
    case 'chart':
      optionalCompany(form, options);
      if (text(form.file_id)) options.file_id = text(form.file_id);
      if (!prompt && !options.company && !options.file_id) throw new FormError('prompt', 'required');
      break;
    case 'ask':
      if (!prompt) throw new FormError('prompt', 'required');
      optionalCompany(form, options);
      break;
    default:
      break;
  }
  return { kind, prompt, options };
}
