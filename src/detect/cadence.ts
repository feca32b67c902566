/**
 * Regularity of inter-arrival gaps: the share of gaps within `tolerance` (relative) of their median.
 * Humans have think time that varies widely; a tool replaying requests keeps nearly constant gaps.
 * @example regularity([1000, 1010, 990, 1005], 0.05) === 1
 */
export function regularity(gaps: ArrayLike<number>, tolerance: number): { median: number; share: number } {
  const n = gaps.length;
  if (n === 0) return { median: 0, share: 0 };
  const median = medianOf(gaps, n);
  let near = 0;
  for (let i = 0; i < n; i++) if (Math.abs(gaps[i]! - median) <= tolerance * median) near++;
  return { median, share: near / n };
}

/** Scratch space for {@link medianOf} (no allocation per call for the detector's windows of gaps). */
const scratch = new Float64Array(64);

/** The upper median of `xs[0, n)`, as a sorted typed array would give it: insertion into scratch space (small windows), else a sorted copy. */
function medianOf(xs: ArrayLike<number>, n: number): number {
  if (n > scratch.length) return sortedMedian(xs, n);
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    // A typed array sorts NaN last and -0 before 0; neither is a gap the detector records.
    if (Number.isNaN(x) || Object.is(x, -0)) return sortedMedian(xs, n);
    let j = i;
    for (; j > 0 && scratch[j - 1]! > x; j--) scratch[j] = scratch[j - 1]!;
    scratch[j] = x;
  }
  return scratch[Math.floor(n / 2)]!;
}

function sortedMedian(xs: ArrayLike<number>, n: number): number {
  return Float64Array.from(xs).sort()[Math.floor(n / 2)]!;
}

/** The numeric part of an id like c000123 (NaN if none). @example idNumber('c000123') === 123 */
export function idNumber(id: string): number {
  let i = 0;
  while (i < id.length && (id.charCodeAt(i) < 48 || id.charCodeAt(i) > 57)) i++;
  if (i === id.length) return NaN;
  // Digits to the end (the usual case) are read in place; anything else goes to Number().
  let n = 0;
  for (let j = i; j < id.length; j++) {
    const d = id.charCodeAt(j) - 48;
    if (d < 0 || d > 9 || j - i > 14) return Number(id.slice(i));
    n = n * 10 + d;
  }
  return n;
}
