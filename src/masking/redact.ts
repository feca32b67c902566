/** Redaction: text in, text out with every finding replaced by its display mask (ticket notes, chat logs). */
import type { Finding } from '../catalog/index.js';
import { maskValue } from './display-mask.js';
import type { Masker } from './mask-rules.js';

/**
 * The text with each finding masked by its type's display mask. Findings must not overlap and must be in order
 * (as `scanText` returns them).
 *
 * @example redactPiece('手机13812345678', [{ type: 'cn_mobile', start: 2, end: 13, confidence: 0.95 }]) === '手机138****5678'
 */
export function redactPiece(text: string, findings: readonly Finding[], masker?: Masker): string {
  let out = '';
  let at = 0;
  for (const f of findings) {
    if (f.start < at) continue;
    const value = text.slice(f.start, f.end);
    out += text.slice(at, f.start) + (masker === undefined ? maskValue(f.type, value) : masker.mask(f.type, value));
    at = f.end;
  }
  return out + text.slice(at);
}
