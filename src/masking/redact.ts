/** Redaction: text in, text out with every finding replaced by its display mask (ticket notes, chat logs). */
import type { Finding, FindingVisitor } from '../catalog/index.js';
import { maskValue } from './display-mask.js';
import type { Masker } from './mask-rules.js';

/**
 * The text with each finding masked by its type's display mask. Findings must not overlap and must be in order
 * (as `scanText` returns them).
 *
 * @example redactPiece('手机13812345678', [{ type: 'cn_mobile', start: 2, end: 13, confidence: 0.95 }]) === '手机138****5678'
 */
export function redactPiece(text: string, findings: readonly Finding[], masker?: Masker): string {
  return redactWith(text, (visit) => {
    for (const f of findings) visit(f.type, f.start, f.end, f.confidence);
  }, masker);
}

/**
 * The text with each finding that `scan` hands to its visitor masked (scanEach's findings: no object per finding).
 * Findings must come in order; one overlapping the last masked one is skipped.
 *
 * @example redactWith(text, (visit) => scanEach(text, { minConfidence: 0.5 }, visit), masker)
 */
export function redactWith(text: string, scan: (visit: FindingVisitor) => void, masker?: Masker): string {
  let out = '';
  let at = 0;
  scan((type, start, end) => {
    if (start < at) return;
    const value = text.slice(start, end);
    out += text.slice(at, start) + (masker === undefined ? maskValue(type, value) : masker.mask(type, value));
    at = end;
  });
  return out + text.slice(at);
}
