import { describe, expect, it } from 'vitest';
import {
  gazetteer, idCardCheckDigit, isLuhnValid, isValidIdCard18, isValidMobile, luhnCheckDigit, MOBILE_PREFIXES,
} from '../catalog/index.js';
import { usccCheckChar as usccCheck } from '../catalog/index.js';
import { formatToken } from './format-token.js';
import { GIVEN_NAME_CHARS } from './token-words.js';

const key = Buffer.from('000102030405060708090a0b0c0d0e0f1011121314151617', 'hex');
const otherKey = Buffer.from('ffeeddccbbaa99887766554433221100', 'hex');
const TODAY = new Date('2025-06-30T00:00:00Z');
const N = 2_000;

/** A small seeded generator (mulberry32), so the generated inputs are the same on every run. */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n);
  };
}
const digits = (r: (n: number) => number, count: number): string => Array.from({ length: count }, () => String(r(10))).join('');
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

function generatedIds(count: number): string[] {
  const r = rng(1);
  const areas = gazetteer().provinces.flatMap((p) => p.cities.flatMap((c) => c.districts.map((d) => d.code)));
  return Array.from({ length: count }, () => {
    const year = 1930 + r(96);
    const date = new Date(Date.UTC(year, 0, 1 + r(365)));
    const birth = `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1, 2)}${pad(date.getUTCDate(), 2)}`;
    const first17 = `${areas[r(areas.length)]!}${birth}${pad(r(1000), 3)}`;
    return first17 + idCardCheckDigit(first17);
  }).filter((id) => isValidIdCard18(id, TODAY));
}

function generatedCards(count: number): string[] {
  const r = rng(2);
  return Array.from({ length: count }, () => {
    const payload = `62${digits(r, 13 + r(4))}`; // 16–19 digits with the check digit
    return payload + luhnCheckDigit(payload);
  });
}

function generatedMobiles(count: number): string[] {
  const r = rng(3);
  return Array.from({ length: count }, () => `${MOBILE_PREFIXES[r(MOBILE_PREFIXES.length)]!}${digits(r, 8)}`);
}

/** Share of inputs whose token equals the input. */
function unchangedShare(inputs: readonly string[], tokens: readonly string[]): number {
  return inputs.filter((v, i) => v === tokens[i]).length / inputs.length;
}

describe('formatToken for ID numbers', () => {
  const ids = generatedIds(N + 100).slice(0, N);
  const tokens = ids.map((id) => formatToken('cn_id_card', id, key, { today: TODAY }));

  it('generates enough inputs', () => expect(ids.length).toBe(N));

  it('gives valid GB 11643 numbers with the same area, birth year and sex for 2,000 inputs', () => {
    tokens.forEach((t, i) => {
      const id = ids[i]!;
      expect(isValidIdCard18(t, TODAY)).toBe(true);
      expect(t.slice(0, 10)).toBe(id.slice(0, 10));
      expect(Number(t[16]) % 2).toBe(Number(id[16]) % 2);
    });
  });

  it('changes the vast majority of inputs and spreads birthdays over the year', () => {
    expect(unchangedShare(ids, tokens)).toBeLessThan(0.01);
    expect(new Set(tokens.map((t) => t.slice(10, 14))).size).toBeGreaterThan(300);
  });

  it('keeps a birth date of the current year on or before the real one', () => {
    for (let day = 1; day <= 30; day++) {
      const first17 = `110105202506${pad(day, 2)}001`;
      const id = first17 + idCardCheckDigit(first17);
      const t = formatToken('cn_id_card', id, key, { today: TODAY });
      expect(isValidIdCard18(t, TODAY)).toBe(true);
      expect(t.slice(10, 14) <= id.slice(10, 14)).toBe(true);
    }
  });

  it('keeps a 15-digit number 15 digits long with the same area, year and sex', () => {
    const t = formatToken('cn_id_card', '340524800101001', key);
    expect(t).toMatch(/^34052480\d{7}$/);
    expect(Number(t[14]) % 2).toBe(1);
  });

  it('gives a valid token for a number with a wrong check character', () => {
    expect(isValidIdCard18('110105194912310021')).toBe(false);
    expect(isValidIdCard18(formatToken('cn_id_card', '110105194912310021', key))).toBe(true);
  });
});

describe('formatToken for bank cards and mobiles', () => {
  it('gives Luhn-valid cards with the same BIN and length for 2,000 inputs', () => {
    const cards = generatedCards(N);
    const tokens = cards.map((c) => formatToken('bank_card', c, key));
    tokens.forEach((t, i) => {
      expect(isLuhnValid(t)).toBe(true);
      expect(t.length).toBe(cards[i]!.length);
      expect(t.slice(0, 6)).toBe(cards[i]!.slice(0, 6));
    });
    expect(unchangedShare(cards, tokens)).toBeLessThan(0.01);
  });

  it('gives valid mobiles with the same prefix for 2,000 inputs', () => {
    const mobiles = generatedMobiles(N);
    const tokens = mobiles.map((m) => formatToken('cn_mobile', m, key));
    tokens.forEach((t, i) => {
      expect(isValidMobile(t)).toBe(true);
      expect(t.slice(0, 3)).toBe(mobiles[i]!.slice(0, 3));
    });
    expect(unchangedShare(mobiles, tokens)).toBeLessThan(0.01);
  });
});

describe('formatToken for the other types', () => {
  it('keeps the surname and the given-name length, drawing from common given-name characters', () => {
    expect([...formatToken('cn_name', '欧阳娜娜', key)].slice(0, 2).join('')).toBe('欧阳');
    expect(() => formatToken('cn_name', '王', key)).toThrow(RangeError);
    for (const name of ['张三', '李小龙']) {
      const t = [...formatToken('cn_name', name, key)];
      expect(t.length).toBe([...name].length);
      expect(t[0]).toBe(name[0]);
      for (const c of t.slice(1)) expect(GIVEN_NAME_CHARS).toContain(c);
    }
  });

  it('gives an e-mail with a local part of 8–12 letters and digits at the same domain', () => {
    for (let i = 0; i < 200; i++) {
      expect(formatToken('email', `User.${i}@Example.COM`, key)).toMatch(/^[a-z][a-z0-9]{7,11}@example\.com$/);
    }
  });

  it('keeps the area code and the local length of a landline', () => {
    expect(formatToken('cn_landline', '0755-12345678', key)).toMatch(/^0755-[2-8]\d{7}$/);
    expect(formatToken('cn_landline', '010 1234567', key)).toMatch(/^010-[2-8]\d{6}$/);
  });

  it('gives a USCC with the same first 8 characters and a correct GB 32100 check character', () => {
    for (const code of ['91350100M000100Y43', '11320000MB151840XJ', '914403001922038216']) {
      const t = formatToken('cn_uscc', code, key);
      expect(t).toMatch(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/);
      expect(t.slice(0, 8)).toBe(code.slice(0, 8));
      expect(t[17]).toBe(usccCheck(t.slice(0, 17)));
    }
  });

  it('keeps the letters of passports and permits and draws the digits', () => {
    expect(formatToken('cn_passport', 'E12345678', key)).toMatch(/^E\d{8}$/);
    expect(formatToken('cn_passport', 'EF1260892', key)).toMatch(/^E[A-HJ-NP-Z]\d{7}$/);
    expect(formatToken('cn_passport', 'SE1234567', key)).toMatch(/^SE\d{7}$/);
    expect(formatToken('hk_macau_permit', 'M1234567802', key)).toMatch(/^M\d{8}02$/);
  });

  it('keeps province, authority letter and new-energy marker of plates, and the result is still a plate', () => {
    const plate = /^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z](?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳]|[DF][A-HJ-NP-Z0-9]\d{4}|\d{5}[DF])$/;
    for (const p of ['粤B12345', '京A8K2J9', '粤BD12345', '沪A12345F', '苏E1234学']) {
      const t = formatToken('cn_plate', p, key);
      expect(t).toMatch(plate);
      expect(t.slice(0, 2)).toBe(p.slice(0, 2));
    }
    expect(formatToken('cn_plate', '粤BD12345', key)[2]).toBe('D');
    expect(formatToken('cn_plate', '苏E1234学', key).endsWith('学')).toBe(true);
  });

  it('keeps the first octet of IPv4 and the first two groups of IPv6', () => {
    expect(formatToken('ipv4', '10.1.2.3', key)).toMatch(/^10\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
    expect(formatToken('ipv6', '2001:db8::1', key)).toMatch(/^2001:db8:/);
  });

  it('keeps the province, prefecture and district of an address and draws a street and number', () => {
    expect(formatToken('cn_address', '深圳市南山区科技园路1号', key)).toMatch(/^广东省深圳市南山区\p{Script=Han}+\d{1,3}号$/u);
    expect(formatToken('cn_address', '北京朝阳区建国路88号', key)).toMatch(/^北京市朝阳区\p{Script=Han}+\d{1,3}号$/u);
  });

  it('keeps the shape of free text', () => {
    const t = formatToken('text', '订单 A12-b3', key);
    expect(t).toMatch(/^\p{Script=Han}{2} [A-Z]\d\d-[a-z]\d$/u);
  });
});

describe('formatToken properties', () => {
  const samples = [
    ['cn_id_card', '11010519491231002X'], ['bank_card', '6222021234567890128'], ['cn_mobile', '13812345678'],
    ['cn_name', '张伟'], ['email', 'lihua@163.com'], ['cn_landline', '0755-12345678'], ['cn_uscc', '91350100M000100Y43'],
    ['cn_passport', 'EF1260892'], ['hk_macau_permit', 'H12345678'], ['cn_plate', '粤B12345'], ['ipv4', '192.168.1.20'],
    ['ipv6', '2001:db8::8a2e:370:7334'], ['cn_address', '广东省深圳市南山区科技园路1号'], ['text', '备注123'],
  ] as const;

  it.each(samples)('is deterministic and key-sensitive for %s', (type, value) => {
    const t = formatToken(type, value, key);
    expect(formatToken(type, value, Buffer.from(key))).toBe(t);
    expect(formatToken(type, value, otherKey)).not.toBe(t);
  });

  it('gives one token for the same value written differently', () => {
    expect(formatToken('cn_mobile', '+86 138 1234 5678', key)).toBe(formatToken('cn_mobile', '13812345678', key));
    expect(formatToken('cn_id_card', '11010519491231002x', key)).toBe(formatToken('cn_id_card', '11010519491231002X', key));
  });

  it.each([
    ['cn_id_card', '1101051949'], ['cn_id_card', '110105194913310021'], ['cn_id_card', '110105209912310021'],
    ['bank_card', '6222 0212'], ['cn_mobile', '12012345678'], ['cn_name', 'Zhang3'], ['email', 'no-at-sign'],
    ['cn_landline', '400-123-4567'], ['cn_uscc', '91350100M000100Y4'], ['cn_passport', 'X1234567'], ['hk_macau_permit', 'H1234'],
    ['cn_plate', '粤I12345'], ['ipv4', '256.1.1.1'], ['ipv6', '2001:db8'], ['cn_address', '九龙弥敦道123号'],
  ] as const)('refuses %s value %s with a RangeError that does not repeat it', (type, value) => {
    expect(() => formatToken(type, value, key)).toThrow(RangeError);
    expect(() => formatToken(type, value, key)).not.toThrow(value);
  });

  it('refuses a key shorter than 16 bytes', () => {
    expect(() => formatToken('cn_mobile', '13812345678', Buffer.alloc(8))).toThrow(/at least 16 bytes/);
  });
});
