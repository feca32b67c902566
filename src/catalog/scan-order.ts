/**
 * The findings of the text scan's passes (tokens, names, addresses) put in one order by position, and their overlaps
 * resolved. Each pass emits in order, so ordering is a merge; a sort only when a pass did not.
 */
import type { Finding } from './pii-types.js';

/** True when `a` sorts before `b`: by start, then the longer first. */
const before = (a: Finding, b: Finding): boolean => a.start < b.start || (a.start === b.start && a.end > b.end);

function isOrdered(list: readonly Finding[]): boolean {
  for (let k = 1; k < list.length; k++) if (before(list[k]!, list[k - 1]!)) return false;
  return true;
}

/**
 * `first` and `then` in one list sorted by start, the longer first; on a tie, `first`'s finding goes first (as a
 * stable sort of the two lists one after the other). Each pass emits in order, so this is a merge.
 */
export function ordered(first: Finding[], then: Finding[]): Finding[] {
  if (then.length === 0 && isOrdered(first)) return first;
  if (!isOrdered(first) || !isOrdered(then)) return [...first, ...then].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Finding[] = [];
  let i = 0;
  let j = 0;
  while (i < first.length && j < then.length) out.push(before(then[j]!, first[i]!) ? then[j++]! : first[i++]!);
  while (i < first.length) out.push(first[i++]!);
  while (j < then.length) out.push(then[j++]!);
  return out;
}

/** Where findings overlap, the longer (then the surer) one wins; an address keeps the numbers inside it out. */
export function resolveOverlaps(sorted: Finding[]): Finding[] {
  // In place: `kept` findings are kept at the front.
  let kept = 0;
  for (const f of sorted) {
    const last = kept > 0 ? sorted[kept - 1]! : undefined;
    if (last === undefined || f.start >= last.end) {
      sorted[kept++] = f;
      continue;
    }
    const better = f.end - f.start > last.end - last.start || (f.end - f.start === last.end - last.start && f.confidence > last.confidence);
    if (better) sorted[kept - 1] = f;
  }
  sorted.length = kept;
  return sorted;
}
