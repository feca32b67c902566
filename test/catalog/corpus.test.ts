/**
 * Precision and recall per type on a generated corpus of Chinese customer-service text with planted PII and
 * decoys (order numbers, amounts, timestamps, IDs with wrong check digits, 17- and 20-digit runs, unallocated
 * mobile prefixes, numbers failing Luhn, tracking numbers, version strings). A finding counts only with the
 * exact type and offsets. The figures are printed; the floors below fail the test if a change degrades them.
 */
import { describe, expect, it } from 'vitest';
import { PII_TYPES, scanText, type PiiType } from '../../src/catalog/index.js';
import { generatePiiCorpus } from '../../src/sim/index.js';

const FLOOR: Record<PiiType, { precision: number; recall: number }> = Object.fromEntries(
  PII_TYPES.map((t) => [t, t === 'cn_name' ? { precision: 0.95, recall: 0.9 } : { precision: 0.99, recall: 0.99 }]),
) as Record<PiiType, { precision: number; recall: number }>;

describe('detectors on the generated corpus', () => {
  it('reach their precision and recall floors per type, and leave the decoys alone', () => {
    // A seed the detectors were not tuned on.
    const corpus = generatePiiCorpus({ seed: 'corpus-test-2026', documents: 3000 });
    const stats = new Map(PII_TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }]));
    let decoys = 0;
    let decoyHits = 0;
    for (const d of corpus.documents) {
      const found = scanText(d.text, { minConfidence: 0.5 });
      const key = (t: string, s: number, e: number): string => `${t}:${s}:${e}`;
      const planted = new Set(d.pii.map((p) => key(p.type, p.start, p.end)));
      const got = new Set(found.map((f) => key(f.type, f.start, f.end)));
      for (const f of found) stats.get(f.type)![planted.has(key(f.type, f.start, f.end)) ? 'tp' : 'fp']++;
      for (const p of d.pii) if (!got.has(key(p.type, p.start, p.end))) stats.get(p.type)!.fn++;
      for (const x of d.decoys) {
        decoys++;
        if (found.some((f) => f.start < x.end && x.start < f.end)) decoyHits++;
      }
    }
    const rows = [...stats].map(([type, s]) => ({ type, planted: s.tp + s.fn, precision: s.tp / Math.max(1, s.tp + s.fp), recall: s.tp / Math.max(1, s.tp + s.fn) }));
    process.stdout.write(`${rows.map((r) => `${r.type.padEnd(16)} planted ${String(r.planted).padStart(5)}  precision ${r.precision.toFixed(4)}  recall ${r.recall.toFixed(4)}`).join('\n')}\ndecoys ${decoys}, touched by a finding ${decoyHits}\n`);
    for (const r of rows) {
      expect(r.planted, r.type).toBeGreaterThan(100);
      expect(r.precision, `${r.type} precision`).toBeGreaterThanOrEqual(FLOOR[r.type].precision);
      expect(r.recall, `${r.type} recall`).toBeGreaterThanOrEqual(FLOOR[r.type].recall);
    }
    expect(decoyHits / decoys).toBeLessThan(0.002);
  }, 120_000);
});
