import type { Page, Recorded, RevealedView, SubjectView } from '../../gateway/index.js';
import type { Principal } from '../../identity/index.js';
import { markValue, type Marks } from '../../marks/index.js';

/** What the console draws over every page that shows personal data (generated here, per page view). */
export interface Watermark {
  readonly viewCode: string;
  /** The lines of the tiled watermark: viewer id and name, time (UTC), view code. */
  readonly lines: readonly string[];
}

export function watermarkOf(marks: Marks, who: Principal, ledgerIndex: number, now: Date): Watermark {
  const viewCode = marks.encode(ledgerIndex);
  return { viewCode, lines: [`${who.staffId} ${who.name}`, `${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`, viewCode] };
}

/**
 * For console sessions, every text value shown carries the invisible mark of this view, so a value copied off
 * the screen names the view. Applications (API tokens) get clean values: they are machines, their own
 * requests are on the ledger, and a mark would corrupt their data.
 */
function markFields<T extends { readonly fields: Readonly<Record<string, string | number>> }>(view: T, mark: string): T {
  const fields: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(view.fields)) fields[k] = typeof v === 'string' && v.length > 0 ? markValue(v, mark) : v;
  return { ...view, fields };
}

export function presentOne(marks: Marks, who: Principal, shown: SubjectView & Recorded, now: Date): SubjectView & { watermark: Watermark } {
  const { ledgerIndex, ...view } = shown;
  const out = who.via === 'session' ? markFields(view, marks.textMark(ledgerIndex)) : view;
  return { ...out, watermark: watermarkOf(marks, who, ledgerIndex, now) };
}

export function presentPage(marks: Marks, who: Principal, shown: Page<SubjectView> & Recorded, now: Date): Page<SubjectView> & { watermark: Watermark } {
  const { ledgerIndex, items, next } = shown;
  const mark = marks.textMark(ledgerIndex);
  return { items: who.via === 'session' ? items.map((v) => markFields(v, mark)) : items, next, watermark: watermarkOf(marks, who, ledgerIndex, now) };
}

export function presentReveal(marks: Marks, who: Principal, shown: RevealedView & Recorded, now: Date): RevealedView & { watermark: Watermark } {
  const { ledgerIndex, ...view } = shown;
  const out = who.via === 'session' ? markFields(view, marks.textMark(ledgerIndex)) : view;
  return { ...out, watermark: watermarkOf(marks, who, ledgerIndex, now) };
}
