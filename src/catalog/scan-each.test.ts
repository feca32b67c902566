import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { findingLines } from '../cli/scan.js';
import { redactPiece, redactWith } from '../masking/index.js';
import { createRandom, generateMixedText, generatePiiCorpus } from '../sim/index.js';
import type { Finding, PiiType } from './pii-types.js';
import { textPieces } from './scan-stream.js';
import { scanEach, scanText, STRUCTURED_TYPES, type ScanOptions } from './scan-text.js';

const TODAY = new Date('2026-11-23T00:00:00Z');

/** Text from a small alphabet of digits, separators, letters and cue characters: overlapping and cut values. */
function fuzz(seed: string, n: number): string {
  const r = createRandom(seed);
  const alpha = '0123456789012345678901234567890123456789      ---++..::@@()XxABCDEFabcdefZ_%·京沪粤A电话卡号身份证张王欧阳北京市朝阳区路号，。\n';
  let s = '';
  for (let i = 0; i < n; i++) s += alpha[r.int(0, alpha.length - 1)];
  return s;
}

const OPTIONS: ScanOptions[] = [
  {},
  { minConfidence: 0.5 },
  { types: STRUCTURED_TYPES },
  { types: STRUCTURED_TYPES, minConfidence: 0.5 },
  ...(['cn_mobile', 'bank_card', 'cn_id_card', 'cn_name', 'cn_address', 'email', 'ipv6'] as const).map((t) => ({ types: new Set<PiiType>([t]) })),
];

const TEXTS: [string, string][] = [
  ['mixed text', generateMixedText('scan-each', 400_000)],
  ['fuzz', fuzz('scan-each-fuzz', 200_000)],
  ...generatePiiCorpus({ seed: 'scan-each', documents: 300 }).documents.slice(0, 300).map((d, i): [string, string] => [`corpus document ${i}`, d.text]),
];

/** What scanEach hands its visitor, as objects. */
function visited(text: string, options: ScanOptions): Finding[] {
  const out: Finding[] = [];
  scanEach(text, options, (type, start, end, confidence) => out.push({ type, start, end, confidence }));
  return out;
}

describe('scanEach (findings without objects)', () => {
  it('hands over exactly the findings of scanText, in the same order, on generated text and every option set', () => {
    let total = 0;
    for (const [, text] of TEXTS) {
      for (const o of OPTIONS) {
        const options = { ...o, today: TODAY };
        const expected = scanText(text, options);
        expect(visited(text, options)).toEqual(expected);
        total += expected.length;
      }
    }
    // The texts hold findings of every kind: the comparison is not between two empty lists.
    expect(total).toBeGreaterThan(10_000);
  });

  it('scan text JSON Lines are byte for byte those built from scanText objects with JSON.stringify', () => {
    for (const [, text] of TEXTS.slice(0, 2)) {
      for (const o of OPTIONS.slice(0, 4)) {
        const options = { ...o, today: TODAY };
        const base = 1_234_567;
        const expected = scanText(text, options)
          .map((f) => `${JSON.stringify({ type: f.type, start: base + f.start, end: base + f.end, confidence: f.confidence })}\n`)
          .join('');
        expect(expected.length).toBeGreaterThan(0);
        expect(findingLines(text, base, options)).toBe(expected);
      }
    }
  });

  it('keeps every finding of a text denser than the finding arrays were sized for: the whole equals its lines scanned one by one', () => {
    // The arrays start with room for one finding per 64 code units and double when full: here each line is a value.
    const mixed = generateMixedText('scan-each-dense', 300_000);
    const lines = scanText(mixed, { types: STRUCTURED_TYPES, today: TODAY }).map((f) => mixed.slice(f.start, f.end));
    const text = lines.join('\n');
    for (const o of [{ types: STRUCTURED_TYPES }, { types: STRUCTURED_TYPES, minConfidence: 0.5 }, {}]) {
      const options = { ...o, today: TODAY };
      const expected: Finding[] = [];
      let base = 0;
      for (const line of lines) {
        for (const f of scanText(line, options)) expected.push({ type: f.type, start: base + f.start, end: base + f.end, confidence: f.confidence });
        base += line.length + 1;
      }
      // Past twice the first size: the arrays were doubled at least twice.
      expect(expected.length).toBeGreaterThan((2 * text.length) / 64);
      expect(scanText(text, options)).toEqual(expected);
      expect(visited(text, options)).toEqual(expected);
    }
  });

  it('redaction from the visitor gives the text that redaction from the finding objects gives', () => {
    for (const [, text] of TEXTS.slice(0, 2)) {
      const options = { minConfidence: 0.5, today: TODAY };
      const expected = redactPiece(text, scanText(text, options));
      expect(expected).not.toBe(text);
      expect(redactWith(text, (visit) => scanEach(text, options, visit))).toBe(expected);
    }
  });
});

describe('textPieces', () => {
  it('cuts a byte stream into pieces that join to the UTF-8 text (bad sequences, a byte order mark, characters split between chunks)', async () => {
    const r = createRandom('text-pieces');
    const parts: Buffer[] = [Buffer.from([0xef, 0xbb, 0xbf])];
    for (let i = 0; i < 4000; i++) {
      const k = r.int(0, 9);
      if (k === 0) parts.push(Buffer.from([r.int(0x80, 0xff)]));
      else if (k === 1) parts.push(Buffer.from([0xe6, r.int(0x80, 0xbf)]));
      else if (k === 2) parts.push(Buffer.from([0xf0, 0x9f, 0x98, 0x80]));
      else if (k === 3) parts.push(Buffer.from('\n'));
      else parts.push(Buffer.from(['手机13812345678，', '张伟。', 'abc 123 ', '、'][r.int(0, 3)]!));
    }
    const bytes = Buffer.concat(parts);
    for (const chunk of [1, 7, 64, 4096]) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += chunk) chunks.push(bytes.subarray(at, at + chunk));
      let joined = '';
      let base = 0;
      for await (const piece of textPieces(Readable.from(chunks), 1000)) {
        expect(piece.base).toBe(base);
        joined += piece.text;
        base += piece.text.length;
      }
      expect(joined).toBe(bytes.toString('utf8'));
    }
  });
});
