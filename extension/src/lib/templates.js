// Report templates in the panel (API.md `GET/POST/DELETE /v1/templates`): how a template is
// named in the chooser, whether it compares companies, and the body that saves an edited
// outline as the user's own template. Pure: no chrome.*, no DOM. The limits are the kit's
// (finscribe_common.contract.templates); tests/templates.test.mjs checks them against it.

export const TEMPLATE_NAME_MAX_CHARS = 100;
export const TEMPLATE_TITLE_MAX_CHARS = 300;
export const TEMPLATE_SECTIONS_MAX = 12;
export const SECTION_TITLE_MAX_CHARS = 200;
export const SECTION_INSTRUCTIONS_MAX_CHARS = 2000;
/** The built-ins the panel names in its own language (`template_<id>_name` / `_desc` messages). */
export const BUILTIN_IDS = ['company_analysis', 'earnings_review', 'peer_comparison', 'investment_memo'];
const COMPANY = '{company}';

const chars = (s) => [...s].length;

export class TemplateError extends Error {
  /** `key`: the panel message that says what to fix; `params`: its $1, $2 … */
  constructor(key, params = []) {
    super(key);
    this.key = key;
    this.params = params;
  }
}

/** A template compares several companies (peer comparison): the companies field replaces the company field. */
export const comparesCompanies = (template) => Number(template?.min_companies ?? 1) > 1;

/**
 * The name and description shown in the chooser: a built-in's in the panel's language
 * (`message(key)` returns '' for a missing message), a saved template's as its owner wrote it.
 */
export function templateLabel(template, message) {
  const id = String(template?.id ?? '');
  const builtin = template?.builtin && BUILTIN_IDS.includes(id);
  return {
    name: (builtin && message(`template_${id}_name`)) || String(template?.name ?? id),
    description: (builtin && message(`template_${id}_desc`)) || String(template?.description ?? ''),
  };
}

/**
 * The POST /v1/templates body for an edited outline (`{title?, sections: [{title, instructions?}]}`,
 * as outline-review's editedOutline gives it), saved under `name`. The company the report was
 * about becomes `{company}` in the title, so the template fits any company; braces other than
 * `{company}` (the only placeholder the kit allows) are dropped. Throws TemplateError (a message key)
 * for what the gateway would refuse with 422.
 *
 * The titles are the user's words, used as written in Korean and English runs alike (API.md). A
 * report title the user did not write is ours: `DEFAULT_TITLES`, saved in both languages so an
 * English run of the template says "report", a Korean one 보고서, whatever the panel's language.
 */
export const DEFAULT_TITLES = { title: `${COMPANY} 보고서`, title_en: `${COMPANY} report` };

export function templateFromOutline(name, outline, { company = '' } = {}) {
  const cleanName = String(name ?? '').trim();
  if (!cleanName) throw new TemplateError('templateNameRequired');
  if (chars(cleanName) > TEMPLATE_NAME_MAX_CHARS) throw new TemplateError('templateNameTooLong', [String(TEMPLATE_NAME_MAX_CHARS)]);
  const sections = outline?.sections ?? [];
  if (!sections.length) throw new TemplateError('outlineNeedsSection');
  if (sections.length > TEMPLATE_SECTIONS_MAX) throw new TemplateError('outlineTooMany', [String(TEMPLATE_SECTIONS_MAX)]);
  // `{company}` stays; any other brace would be refused by the gateway
  let title = String(outline?.title ?? '').split(COMPANY).map((part) => part.replace(/[{}]/g, '')).join(COMPANY).trim();
  const who = String(company ?? '').trim();
  if (who && title.includes(who)) title = title.split(who).join(COMPANY);
  if (chars(title) > TEMPLATE_TITLE_MAX_CHARS) title = [...title].slice(0, TEMPLATE_TITLE_MAX_CHARS).join('');
  return {
    name: cleanName,
    ...(title ? { title } : DEFAULT_TITLES),
    sections: sections.map((section, i) => {
      const sectionTitle = String(section.title ?? '').trim();
      if (!sectionTitle) throw new TemplateError('outlineEmptyTitle', [String(i + 1)]);
      if (chars(sectionTitle) > SECTION_TITLE_MAX_CHARS) throw new TemplateError('templateSectionTooLong', [String(i + 1)]);
      const instructions = String(section.instructions ?? '').trim();
      if (chars(instructions) > SECTION_INSTRUCTIONS_MAX_CHARS) throw new TemplateError('templateSectionTooLong', [String(i + 1)]);
      return instructions ? { title: sectionTitle, instructions } : { title: sectionTitle };
    }),
  };
}

/**
 * The options page's template editor: one section a line, `title | instructions` (the
 * instructions optional). Returns the POST /v1/templates body; TemplateError as above.
 */
export function templateFromText(name, title, text, options = {}) {
  const sections = String(text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const at = line.indexOf('|');
      return at < 0 ? { title: line } : { title: line.slice(0, at), instructions: line.slice(at + 1) };
    });
  return templateFromOutline(name, { title, sections }, options);
}

/** Tells every open panel that the saved templates changed (the options page saved or deleted one). */
export const TEMPLATES_CHANGED = 'finscribe:templates-changed';
