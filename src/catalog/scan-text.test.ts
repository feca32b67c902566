import { describe, expect, it } from 'vitest';
import { createRandom, generateBankCard, generateBirth, generateEmail, generateIdNumber, generateMobile, generatePiiCorpus, randomPlace } from '../sim/index.js';
import { findAddresses } from './addresses.js';
import { luhnCheckDigit } from './luhn.js';
import { isValidMobile, isValidMobileAt } from './mobile.js';
import { findNames } from './names.js';
import { scanText, STRUCTURED_TYPES } from './scan-text.js';
import type { Finding, PiiType } from './pii-types.js';

const TODAY = new Date('2026-11-23T00:00:00Z');

/** The findings as [type, matched text] pairs, at or above `min` confidence. */
function found(text: string, min = 0.5): [PiiType, string][] {
  return scanText(text, { today: TODAY, minConfidence: min }).map((f) => [f.type, text.slice(f.start, f.end)]);
}

describe('scanText', () => {
  it('finds every structured type with exact offsets', () => {
    const cases: [string, PiiType, string][] = [
      ['身份证11010519491231002X，', 'cn_id_card', '11010519491231002X'],
      ['身份证号码 34052419800101001x。', 'cn_id_card', '34052419800101001x'],
      ['旧身份证340524800101001', 'cn_id_card', '340524800101001'],
      ['手机13812345678', 'cn_mobile', '13812345678'],
      ['手机 138 1234 5678 请回电', 'cn_mobile', '138 1234 5678'],
      ['电话138-1234-5678。', 'cn_mobile', '138-1234-5678'],
      ['请拨+86 13812345678', 'cn_mobile', '+86 13812345678'],
      ['请拨+86-138-1234-5678', 'cn_mobile', '+86-138-1234-5678'],
      ['座机010-12345678', 'cn_landline', '010-12345678'],
      ['座机0755-2345678转', 'cn_landline', '0755-2345678'],
      ['电话(020)23456789', 'cn_landline', '(020)23456789'],
      ['卡号6222021234567890128', 'bank_card', '6222021234567890128'],
      ['卡号 6222 0212 3456 7890 128 已冻结', 'bank_card', '6222 0212 3456 7890 128'],
      ['银联测试卡6200000000000005', 'bank_card', '6200000000000005'],
      ['信用代码91350100M000100Y43', 'cn_uscc', '91350100M000100Y43'],
      ['信用代码11320000MB151840XJ', 'cn_uscc', '11320000MB151840XJ'],
      ['护照号EF1260892', 'cn_passport', 'EF1260892'],
      ['护照G12345678', 'cn_passport', 'G12345678'],
      ['回乡证H1234567801', 'hk_macau_permit', 'H1234567801'],
      ['车牌粤B12345', 'cn_plate', '粤B12345'],
      ['新能源粤BD12345', 'cn_plate', '粤BD12345'],
      ['邮箱 lihua@163.com。', 'email', 'lihua@163.com'],
      ['登录IP 192.168.1.20。', 'ipv4', '192.168.1.20'],
      ['IPv6 2001:db8::8a2e:370:7334 登录', 'ipv6', '2001:db8::8a2e:370:7334'],
    ];
    for (const [text, type, value] of cases) {
      expect(found(text), text).toEqual([[type, value]]);
      const f = scanText(text, { today: TODAY })[0]!;
      expect(text.slice(f.start, f.end)).toBe(value);
    }
  });

  it('finds names next to a cue and addresses built on the gazetteer', () => {
    expect(found('客户张伟来电反映')).toEqual([['cn_name', '张伟']]);
    expect(found('收件人欧阳娜娜，')).toEqual([['cn_name', '欧阳娜娜']]);
    expect(found('联系人：王小明')).toEqual([['cn_name', '王小明']]);
    expect(found('请转告李晓红女士')).toEqual([['cn_name', '李晓红']]);
    expect(found('地址广东省深圳市南山区科技路100号阳光花园3栋2单元1201室，')).toEqual([['cn_address', '广东省深圳市南山区科技路100号阳光花园3栋2单元1201室']]);
    expect(found('住在北京市海淀区中关村大街27号')).toEqual([['cn_address', '北京市海淀区中关村大街27号']]);
  });

  it('never matches a number inside a longer run, next to letters, or with a wrong check', () => {
    const decoys = [
      '订单号202311221234567890', // 18 digits inside 20
      '流水1138123456789', // a mobile inside a 13-digit run
      'ORD13812345678', // letters before
      '13812345678ABC', // letters after
      '身份证110105194912310021', // wrong check digit
      '卡号6222021234567890127', // Luhn fails
      '时间2023-11-22 10:30:45',
      '时间戳1700000000000',
      '金额¥12,345.67',
      '版本1.2.3.256',
      '地址01.2.3.4',
      '号码15412345678', // 154 was never allocated
      '号码12812345678',
      '快递SF1234567890123',
    ];
    for (const d of decoys) expect(found(d), d).toEqual([]);
  });

  it('keeps a failed USCC check as a low-confidence finding, not a rejection', () => {
    const [f] = scanText('代码91350100M000100Y44', { today: TODAY });
    expect(f).toMatchObject({ type: 'cn_uscc', start: 2, end: 20 });
    expect(f!.confidence).toBeLessThan(0.5);
  });

  it('raises a bank card\'s confidence with a context word and UnionPay prefix', () => {
    const bare = scanText('号码4111111111111111', { today: TODAY })[0]!;
    const withContext = scanText('信用卡4111111111111111', { today: TODAY })[0]!;
    expect(withContext.confidence).toBeGreaterThan(bare.confidence);
    // A Luhn-valid 19-digit number with no known prefix and no context: reported, below the default threshold.
    const odd = `123456789012345678${luhnCheckDigit('123456789012345678')}`;
    expect(scanText(`号码${odd}`, { today: TODAY })[0]!.confidence).toBeLessThan(0.5);
  });

  it('counts offsets in UTF-16 code units, as JavaScript strings do', () => {
    const text = '𠀀𠀁客户张伟手机13812345678';
    const f = scanText(text, { today: TODAY });
    expect(f.map((x) => text.slice(x.start, x.end))).toEqual(['张伟', '13812345678']);
    expect(f[1]!.start).toBe(10);
  });

  it('filters by type', () => {
    expect(scanText('客户张伟手机13812345678', { types: new Set(['cn_mobile']) }).map((f) => f.type)).toEqual(['cn_mobile']);
  });

  it('finds in its one pass over the text the names and addresses their finders find alone', () => {
    const { documents } = generatePiiCorpus({ seed: 'one-pass', documents: 300 });
    let names = 0;
    let addresses = 0;
    for (const { text } of documents) {
      const alone: Finding[] = [];
      findNames(text, alone);
      // With a structured type wanted too, names come from the same pass that reads the tokens.
      expect(scanText(text, { today: TODAY, types: new Set(['cn_name', 'cn_mobile']) }).filter((f) => f.type === 'cn_name')).toEqual(alone);
      names += alone.length;
      const places: Finding[] = [];
      findAddresses(text, places);
      expect(scanText(text, { today: TODAY, types: new Set(['cn_address']) })).toEqual(places);
      addresses += places.length;
    }
    expect(names).toBeGreaterThan(500);
    expect(addresses).toBeGreaterThan(100);
  });

  it('finds the same structured types on its fast path (one character in four through Chinese text) as on the path that reads every character', () => {
    // Generated text: corpus documents and identifier-like pieces (valid values, cut or lengthened ones, digit runs,
    // spaced and hyphenated groups) joined by Chinese text or ASCII glue of random length, so that every token
    // start falls at every offset from the fast path's strides.
    const rng = createRandom('fast-path-differential');
    const { documents } = generatePiiCorpus({ seed: 'fast-path', documents: 400 });
    const glue = ['', '', ' ', '-', ':', '.', '@', '(', ')', '+', 'x', '，', '号', '卡号', '身份证', '电话', '粤', '京A', '·', '客户张伟说'];
    const piece = (): string => {
      switch (rng.int(0, 7)) {
        case 0: return generateMobile(rng);
        case 1: return generateIdNumber(rng, randomPlace(rng), generateBirth(rng, 1950, 2020));
        case 2: return generateBankCard(rng);
        case 3: return generateEmail(rng);
        case 4: return rng.digits(rng.int(1, 21));
        case 5: { const m = generateMobile(rng); return `${m.slice(0, 3)}${rng.pick([' ', '-'])}${m.slice(3, 7)}${rng.pick([' ', '-'])}${m.slice(7)}`; }
        case 6: { const v = rng.pick([generateMobile(rng), generateBankCard(rng)]); const k = rng.int(0, v.length - 1); return v.slice(0, k) + v.slice(k + 1); }
        default: return documents[rng.int(0, documents.length - 1)]!.text.slice(0, rng.int(1, 200));
      }
    };
    const parts: string[] = [];
    for (let i = 0; i < 20_000; i++) parts.push(piece(), rng.pick(glue), '测试文本样例'.slice(0, rng.int(0, 6)));
    const text = parts.join('');
    const fast = scanText(text, { today: TODAY, types: STRUCTURED_TYPES });
    // A name finder makes the pass read every character from its class table (no strides) and merge lists.
    const slow = scanText(text, { today: TODAY, types: new Set([...STRUCTURED_TYPES, 'cn_name']) });
    const names = slow.filter((f) => f.type === 'cn_name');
    const key = (f: Finding): string => `${f.type}:${f.start}:${f.end}:${f.confidence}`;
    const slowKeys = new Set(slow.map(key));
    const fastKeys = new Set(fast.map(key));
    // Only a name that won an overlap may stand where the fast path found a structured type.
    for (const f of fast) if (!slowKeys.has(key(f))) expect(names.some((n) => n.start < f.end && f.start < n.end), key(f)).toBe(true);
    for (const f of slow) if (f.type !== 'cn_name') expect(fastKeys.has(key(f)), key(f)).toBe(true);
    expect(fast.length).toBeGreaterThan(10_000);
  });

  it('checks a mobile prefix in place exactly as the prefix expression does', () => {
    for (let p = 0; p < 1000; p++) {
      const n = `${String(p).padStart(3, '0')}12345678`;
      expect(isValidMobileAt(`x${n}`, 1), n).toBe(isValidMobile(n));
    }
  });

  it('keeps every finding of a short text with more findings than its first room for them, and of one with none', () => {
    // A short text starts with room for 8 findings; the 9th and later must be kept when the room grows.
    const pieces = Array.from({ length: 40 }, (_, i) => `手机1381234${String(5600 + i)}`);
    const text = pieces.join('，');
    const expected: Finding[] = [];
    let at = 0;
    for (const piece of pieces) {
      expected.push({ type: 'cn_mobile', start: at + 2, end: at + piece.length, confidence: 0.95 });
      at += piece.length + 1;
    }
    const got = scanText(text, { today: TODAY, types: new Set(['cn_mobile']) });
    expect(got.map((f) => ({ ...f }))).toEqual(expected);
    expect(scanText('没有号码', { today: TODAY })).toEqual([]);
  });

  it("finds IPv6 addresses that begin with '::' wherever they stand, with and without names and addresses", () => {
    const weak: Record<string, number> = { '::1': 0.3, '::': 0.3, '::ffff:1.2.3.4': 0.9, '::ffff:c0a8:1': 0.9 };
    for (const [address, confidence] of Object.entries(weak)) {
      const texts = [address, `${address}结尾`, `开头${address}`, ` ${address} `, `地址：${address}。`, `（${address}）`, `,${address};`, `IP ${address}\n`];
      // Every position modulo the structured pass's stride through Chinese text.
      for (let k = 0; k < 8; k++) texts.push(`${'汉'.repeat(k)}${address}${'字'.repeat(8 - k)}`);
      for (const text of texts) {
        for (const types of [undefined, STRUCTURED_TYPES]) {
          const got = scanText(text, { today: TODAY, ...(types ? { types } : {}) }).map((f) => [f.type, text.slice(f.start, f.end), f.confidence]);
          expect(got, `${text} ${types ? 'structured' : 'all'}`).toEqual([['ipv6', address, confidence]]);
        }
      }
    }
  });

  it("finds no address in C++ scopes and Chinese full-width colons, and keeps the clock-time skip narrow", () => {
    for (const text of ['std::string s;', 'std::vector<int>::iterator it', '::std::string', '注意：：这里', '比分：：3', ':::1', '::::']) {
      expect(scanText(text, { today: TODAY }), text).toEqual([]);
    }
    // A C++ global scope before a hex word is an address to the validator: it stays below the redact threshold.
    expect(found('调用::add(x)', 0)).toEqual([['ipv6', '::add']]);
    expect(found('调用::add(x)')).toEqual([]);
    // Clock times (10:30, 10:30:45) are skipped; addresses built of the same digits are not.
    for (const address of ['10:30::1', '1:2:3:4:5:6:12:34', '10:30::', '::10:30']) {
      for (const text of [address, `时间${address}。`, `汉汉汉${address}字`]) expect(found(text, 0), text).toEqual([['ipv6', address]]);
    }
    expect(found('时间10:30:45，10:30', 0)).toEqual([]);
  });

  it('finds in each short document (few findings) what a scan of all of them together (many findings) finds there', () => {
    const docs = generatePiiCorpus({ seed: 'short-vs-long', documents: 400 }).documents.map((d) => d.text);
    // Documents apart by more than any context window, on lines of their own.
    const gap = `\n${' '.repeat(16)}\n`;
    const all = docs.join(gap);
    const long = scanText(all, { today: TODAY, types: STRUCTURED_TYPES });
    expect(long.length).toBeGreaterThan(64);
    const fromLong: string[] = [];
    const fromShort: string[] = [];
    let at = 0;
    for (const doc of docs) {
      for (const f of scanText(doc, { today: TODAY, types: STRUCTURED_TYPES })) fromShort.push(`${f.type}:${at + f.start}:${at + f.end}:${f.confidence}`);
      at += doc.length + gap.length;
    }
    for (const f of long) fromLong.push(`${f.type}:${f.start}:${f.end}:${f.confidence}`);
    expect(fromShort).toEqual(fromLong);
  });
});
