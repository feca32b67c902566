/**
 * Regularity of inter-arrival gaps: the share of gaps within `tolerance` (relative) of their median.
 * Humans have think time that varies widely; a tool replaying requests keeps nearly constant gaps.
 * @example regularity([1000, 1010, 990, 1005], 0.05) === 1
 */
export function regularity(gaps: ArrayLike<number>, tolerance: number): { median: number; share: number } {
  const n = gaps.length;
  if (n === 0) return { median: 0, share: 0 };
  const sorted = Float64Array.from(gaps).sort();
  const median = sorted[Math.floor(n / 2)]!;
  let near = 0;
  for (let i = 0; i < n; i++) if (Math.abs(gaps[i]! - median) <= tolerance * median) near++;
  return { median, share: near / n };
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
