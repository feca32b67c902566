/**
 * marks: what makes a screen or a copied value name its source. View codes (short, keyed, readable off a
 * photo) for the tiled watermark, and invisible text marks carrying the same reference in copied values. Both
 * resolve to the exact access event on the ledger.
 * Other capabilities import only from this file.
 */
import { createViewCodes, type ViewCodes } from './view-code.js';
import { encodeMark, findMarks } from './text-mark.js';

export { createViewCodes, type ViewCodes } from './view-code.js';
export { encodeMark, findMarks, markValue, stripMarks } from './text-mark.js';

export interface Marks extends ViewCodes {
  /** The invisible mark of a view (to insert into displayed values with `markValue`). */
  textMark(index: number): string;
  /** The ledger indexes named by the verified marks in a text (in order of first appearance, no repeats). */
  readText(text: string): number[];
}

/** Marks keyed by a secret (Custos derives it from the ledger signing key: see docs/trace.md). */
export function createMarks(key: Buffer): Marks {
  const codes = createViewCodes(key);
  return {
    ...codes,
    textMark: (index) => encodeMark(index, codes.checkBits(index)),
    readText(text) {
      const seen = new Set<number>();
      for (const m of findMarks(text)) if (m.check === codes.checkBits(m.index)) seen.add(m.index);
      return [...seen];
    },
  };
}

export { resolveView, type ResolvedView } from './resolve.js';
export {
  createFingerprinter, matchExports, kindOfValue, styleOf, writeStyle, canonicalOf, FINGERPRINT_KINDS,
  type Fingerprinter, type FingerprintKind, type ExportCandidate, type ExportMatch, type LeakedRow,
} from './fingerprint.js';
export { decodeText, parseCsv, leakedRows, MAX_LEAKED_BYTES, MAX_LEAKED_ROWS, type SubjectResolver, type LeakedTable } from './leaked-file.js';
