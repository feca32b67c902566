/** Small helpers shared by the benchmarks: percentiles and medians of repeated runs. */

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** The loader arguments of this process (tsx's --require/--import pairs), so that a bench's child runs under the same loader. */
export function loaderArgs(): string[] {
  const loader: string[] = [];
  for (let k = 0; k + 1 < process.execArgv.length; k++) {
    const a = process.execArgv[k]!;
    if (a === '--require' || a === '--import') loader.push(a, process.execArgv[++k]!);
  }
  return loader;
}
