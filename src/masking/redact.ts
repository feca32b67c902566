/** Redaction: text in, text out with every finding replaced by its display mask (ticket notes, chat logs). */
import type { Finding } from '../catalog/index.js';
import { maskValue } from './display-mask.js';

/**
 * The text with each finding masked by its type's display mask. Findings must not overlap and must be in order
 * (as `scanText` returns them).
 *
 * @example redactPiece('手机13812345678', [{ type: 'cn_mobile', start: 2, end: 13, confidence: 0.95 }]) === '手机138****5678'
 */
export function redactPiece(text: string, findings: readonly Finding[]): string {
  let out = '';
  let at = 0;
  for (const f of findings) {
    if (f.start < at) continue;
    out += text.slice(at, f.start) + maskValue(f.type, text.slice(f.start, f.end));
    at = f.end;
  }
  return out + text.slice(at);
}
