// A draft's progress weighted by the time each part is expected to take, not by step count:
// writing the sections (LLM calls, in parallel) is most of a draft, so the bar moves while
// they stream, in proportion to the characters written against the length asked for. Pure.
//
// The shares are a typical draft's (timings of the real graph with a remote LLM: the
// company and its data take seconds, the outline one LLM call, each section one streamed
// call of about TOTAL_CHARS / sections characters; charts and assembly seconds again).

export const DRAFT_SHARES = Object.freeze({ resolve: 0.03, gather: 0.1, outline: 0.07, sections: 0.7, finish: 0.1 });
// the orchestrator's target length of a whole draft (nodes/outline.py TOTAL_CHARS)
export const TOTAL_CHARS = Object.freeze({ short: 3000, standard: 7500, long: 15000 });
const FINISH_STEPS = ['charts', 'assemble'];
// a section that has streamed all it was expected to is not done until section.done says so
const STREAMED_CAP = 0.95;

/** A fresh tracker: `steps` name -> status, `sections` id -> {chars, done}. */
export function newProgress(length = 'standard') {
  return { length: TOTAL_CHARS[length] ? length : 'standard', steps: {}, sections: {}, completed: false };
}

/** The tracker after one run event (returns a new object; the input is not changed). */
export function progressAfter(progress, event, data) {
  const next = { ...progress, steps: { ...progress.steps }, sections: { ...progress.sections } };
  const name = String(data?.name ?? '');
  if (event === 'step') {
    if (name.startsWith('section:')) {
      const id = name.slice('section:'.length);
      const section = next.sections[id] ?? { chars: 0, done: false };
      next.sections[id] = { ...section, done: section.done || data.status === 'done' || data.status === 'failed' || data.status === 'skipped' };
    } else next.steps[name] = String(data?.status ?? '');
  } else if (event === 'section.delta') {
    const id = String(data?.section_id ?? '');
    const section = next.sections[id] ?? { chars: 0, done: false };
    next.sections[id] = { ...section, chars: section.chars + [...String(data?.text ?? '')].length };
  } else if (event === 'section.done') {
    const id = String(data?.section_id ?? '');
    next.sections[id] = { ...(next.sections[id] ?? { chars: 0 }), done: true };
  } else if (event === 'run.completed') next.completed = true;
  return next;
}

const stepShare = (status) => (status === 'done' || status === 'skipped' || status === 'failed' ? 1 : status === 'started' ? 0.5 : 0);

/** 0..1: the finished share of the draft's expected time. */
export function draftFraction(progress) {
  if (progress.completed) return 1;
  let total = 0;
  for (const name of ['resolve', 'gather', 'outline']) total += DRAFT_SHARES[name] * stepShare(progress.steps[name]);
  const ids = Object.keys(progress.sections);
  if (ids.length) {
    const expected = Math.max(300, TOTAL_CHARS[progress.length] / ids.length);
    const written = ids.map((id) => {
      const s = progress.sections[id];
      return s.done ? 1 : Math.min(STREAMED_CAP, s.chars / expected);
    });
    total += DRAFT_SHARES.sections * (written.reduce((a, b) => a + b, 0) / ids.length);
  }
  total += (DRAFT_SHARES.finish / FINISH_STEPS.length) * FINISH_STEPS.reduce((sum, name) => sum + stepShare(progress.steps[name]), 0);
  return Math.max(0, Math.min(1, total));
}
