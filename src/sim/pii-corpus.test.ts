import { isIPv4, isIPv6 } from 'node:net';
import validator from 'validator';
import { describe, expect, it } from 'vitest';
import { PII_TYPES, gazetteer, isLuhnValid, isValidMobile, type PiiType } from '../catalog/index.js';
import { CORPUS_TEMPLATE_COUNT, DECOY_KINDS, generateMixedText, generatePiiCorpus, type DecoyKind } from './pii-corpus.js';

const corpus = generatePiiCorpus({ seed: 'corpus-test', documents: 2000 });
const planted = corpus.documents.flatMap((d) => d.pii.map((p) => ({ ...p, text: d.text })));
const decoys = corpus.documents.flatMap((d) => d.decoys.map((p) => ({ ...p, text: d.text })));
const values = (type: PiiType): string[] => planted.filter((p) => p.type === type).map((p) => p.value);
const decoyValues = (kind: DecoyKind): string[] => decoys.filter((p) => p.kind === kind).map((p) => p.value);

// Written again here from GB 32100 rather than imported, so that the test checks the generator independently.
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function usccValid(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(code[i]!) * (3 ** i % 31);
  return USCC_CHARSET[(31 - (sum % 31)) % 31] === code[17];
}

describe('the PII corpus', () => {
  it('uses more than 30 sentence templates', () => {
    expect(CORPUS_TEMPLATE_COUNT.notes + CORPUS_TEMPLATE_COUNT.chat).toBeGreaterThan(30);
  });

  it('labels every planted value and every decoy with the exact span of its text', () => {
    for (const p of planted) expect(p.text.slice(p.start, p.end)).toBe(p.value);
    for (const d of decoys) expect(d.text.slice(d.start, d.end)).toBe(d.value);
  });

  it('never overlaps spans and never glues a value to a neighbouring digit or letter', () => {
    for (const doc of corpus.documents) {
      const spans = [...doc.pii, ...doc.decoys].sort((a, b) => a.start - b.start);
      for (let i = 1; i < spans.length; i++) expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
      for (const s of spans) {
        expect(doc.text.slice(Math.max(0, s.start - 1), s.start)).not.toMatch(/[0-9A-Za-z.+\-@]/);
        expect(doc.text.slice(s.end, s.end + 1)).not.toMatch(/[0-9A-Za-z.\-@:]/);
      }
    }
  });

  it('plants each of the 13 types at least 50 times in 2,000 documents', () => {
    for (const type of PII_TYPES) expect(values(type).length, type).toBeGreaterThanOrEqual(50);
  });

  it('plants ID numbers that an independent validator accepts, old 15-digit ones only after 身份证', () => {
    const ids = planted.filter((p) => p.type === 'cn_id_card');
    expect(ids.filter((p) => p.value.length === 15).length).toBeGreaterThan(10);
    for (const p of ids) {
      expect(p.value).toMatch(/^\d{15}$|^\d{17}[\dX]$/);
      expect(validator.isIdentityCard(p.value, 'zh-CN'), p.value).toBe(true);
      if (p.value.length === 15) expect(p.text.slice(Math.max(0, p.start - 12), p.start)).toContain('身份证');
    }
    const provinces = new Set(gazetteer().provinces.map((p) => p.code));
    for (const v of values('cn_id_card')) expect(provinces.has(v.slice(0, 2)), v).toBe(true);
  });

  it('plants mobile numbers with allocated prefixes in all five written forms', () => {
    const forms = [/^1\d{10}$/, /^1\d\d \d{4} \d{4}$/, /^1\d\d-\d{4}-\d{4}$/, /^\+86 1\d{10}$/, /^\+86-1\d\d-\d{4}-\d{4}$/];
    const mobiles = values('cn_mobile');
    for (const v of mobiles) {
      expect(forms.some((f) => f.test(v)), v).toBe(true);
      const digits = v.replace(/^\+86/, '').replace(/\D/g, '');
      expect(validator.isMobilePhone(digits, 'zh-CN'), v).toBe(true);
      expect(isValidMobile(digits), v).toBe(true);
    }
    for (const f of forms) expect(mobiles.some((v) => f.test(v)), String(f)).toBe(true);
  });

  it('plants bank cards of 16–19 digits passing Luhn, mostly UnionPay, some grouped in fours', () => {
    const cards = values('bank_card');
    for (const v of cards) {
      expect(v).toMatch(/^\d{4}( ?\d{4}){3}( ?\d{1,3})?$/);
      const digits = v.replace(/ /g, '');
      expect(digits.length).toBeGreaterThanOrEqual(16);
      expect(digits.length).toBeLessThanOrEqual(19);
      expect(isLuhnValid(digits), v).toBe(true);
    }
    const unionPay = cards.filter((v) => v.startsWith('62')).length;
    expect(unionPay / cards.length).toBeGreaterThan(0.6);
    expect(cards.some((v) => /^[45]/.test(v))).toBe(true);
    expect(cards.some((v) => v.includes(' '))).toBe(true);
  });

  it('plants landlines as 010-12345678, 0755-1234567 and (020)12345678', () => {
    const lines = values('cn_landline');
    for (const v of lines) expect(v).toMatch(/^(0(10|2\d)-[2-8]\d{7}|0[3-9]\d\d-[2-8]\d{6,7}|\((0(10|2\d)|0[3-9]\d\d)\)[2-8]\d{6,7})$/);
    expect(lines.some((v) => v.startsWith('('))).toBe(true);
    expect(lines.some((v) => /^0\d{3}-\d{7}$/.test(v))).toBe(true);
  });

  it('plants unified social credit codes with a correct GB 32100 check character', () => {
    for (const v of values('cn_uscc')) expect(usccValid(v), v).toBe(true);
    expect(usccValid('91350100M000100Y43')).toBe(true);
    expect(usccValid('91310115MA1H8R7C6D')).toBe(false);
  });

  it('plants passports, HK/Macau permits and plates in their official layouts', () => {
    const passports = values('cn_passport');
    for (const v of passports) expect(v).toMatch(/^(E\d{8}|E[A-HJ-NP-Z]\d{7})$/);
    expect(passports.some((v) => /^E[A-Z]/.test(v))).toBe(true);
    const permits = values('hk_macau_permit');
    for (const v of permits) expect(v).toMatch(/^[HM]\d{8}(\d{2})?$/);
    expect(permits.some((v) => v.length === 11)).toBe(true);
    const plates = values('cn_plate');
    const plate = /^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z](?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9]|[DF][A-HJ-NP-Z0-9]\d{4}|\d{5}[DF])$/;
    for (const v of plates) expect(v).toMatch(plate);
    expect(plates.some((v) => v.length === 8)).toBe(true);
  });

  it('plants e-mail addresses and IP addresses that Node accepts, IPv6 both full and compressed', () => {
    for (const v of values('email')) expect(v).toMatch(/^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/);
    for (const v of values('ipv4')) {
      expect(isIPv4(v), v).toBe(true);
      expect(v).not.toMatch(/(^|\.)0\d/);
    }
    const v6 = values('ipv6');
    for (const v of v6) expect(isIPv6(v), v).toBe(true);
    expect(v6.some((v) => v.includes('::'))).toBe(true);
    expect(v6.some((v) => !v.includes('::') && v.split(':').length === 8)).toBe(true);
  });

  it('plants realistic full names, compound surnames included', () => {
    const names = values('cn_name');
    for (const v of names) expect(v).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
    for (const compound of ['欧阳', '司马', '诸葛', '上官']) expect(names.some((v) => v.startsWith(compound)), compound).toBe(true);
    // The five commonest surnames (王, 李, 张, 刘, 陈) head a fifth or more of the names, as in the MPS statistics.
    expect(names.filter((v) => '王李张刘陈'.includes(v[0]!)).length / names.length).toBeGreaterThan(0.2);
  });

  it('plants addresses in a real district, from the province or city through the house number', () => {
    const provinces = gazetteer().provinces;
    for (const v of values('cn_address')) {
      expect(v).not.toMatch(/市辖区|直辖/);
      const province = provinces.find((p) => v.startsWith(p.name) || p.cities.some((c) => c.name.length > 1 && v.startsWith(c.name)));
      expect(province, v).toBeDefined();
      const districts = province!.cities.flatMap((c) => c.districts.map((d) => d.name));
      expect(districts.some((d) => v.includes(d)), v).toBe(true);
      expect(v).toMatch(/\d+号(.*\d+室)?$/);
    }
  });

  it('plants decoys of every kind that fail the check that tells them from PII', () => {
    for (const kind of DECOY_KINDS) expect(decoyValues(kind).length, kind).toBeGreaterThanOrEqual(20);
    for (const v of decoyValues('bad_check_id')) {
      expect(v).toMatch(/^\d{17}[\dX]$/);
      expect(validator.isIdentityCard(v, 'zh-CN'), v).toBe(false);
    }
    for (const v of decoyValues('unallocated_mobile')) {
      expect(v).toMatch(/^1\d{10}$/);
      expect(isValidMobile(v), v).toBe(false);
    }
    for (const v of decoyValues('bad_luhn_number')) {
      expect(v).toMatch(/^\d{16,19}$/);
      expect(isLuhnValid(v), v).toBe(false);
    }
    for (const v of decoyValues('order_number')) {
      expect(v).toMatch(/^\d{17}$|^\d{20}$/);
      if (v.length === 17) expect(isLuhnValid(v), v).toBe(false);
    }
    for (const v of decoyValues('version_string')) {
      expect(v).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(isIPv4(v), v).toBe(false);
    }
    for (const v of decoyValues('tracking_number')) expect(v).toMatch(/^[A-Z]{2}\d{13}$/);
    for (const v of decoyValues('timestamp_ms')) expect(v).toMatch(/^1[67]\d{11}$/);
  });

  it('gives the same corpus for the same seed and another for another seed', () => {
    const a = generatePiiCorpus({ seed: 42, documents: 50 });
    expect(generatePiiCorpus({ seed: 42, documents: 50 })).toEqual(a);
    const b = generatePiiCorpus({ seed: 43, documents: 50 });
    expect(b.documents.map((d) => d.text)).not.toEqual(a.documents.map((d) => d.text));
  });

  it('refuses a negative or fractional document count', () => {
    expect(() => generatePiiCorpus({ seed: 1, documents: -1 })).toThrow(RangeError);
    expect(() => generatePiiCorpus({ seed: 1, documents: 1.5 })).toThrow(RangeError);
  });
});

describe('mixed text for benchmarks', () => {
  it('returns at least the requested UTF-8 size, made of corpus documents, the same for the same seed', () => {
    const text = generateMixedText('bench', 1_000_000);
    const size = Buffer.byteLength(text, 'utf8');
    expect(size).toBeGreaterThanOrEqual(1_000_000);
    expect(size).toBeLessThan(1_010_000);
    expect(generateMixedText('bench', 1_000_000)).toBe(text);
    const first = generatePiiCorpus({ seed: 'bench', documents: 2000 }).documents.map((d) => d.text);
    expect(first.some((d) => text.startsWith(`${d}\n`))).toBe(true);
    expect(generateMixedText('bench', 0)).toBe('');
  });
});
