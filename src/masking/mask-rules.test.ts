import { describe, expect, it } from 'vitest';
import { createMasker, parseMaskRules, type MaskRules } from './mask-rules.js';

describe('createMasker', () => {
  it('uses the default masks when no rule is given', () => {
    const m = createMasker();
    expect(m.mask('cn_mobile', '13812345678')).toBe('138****5678');
    expect(m.mask('cn_name', '欧阳娜娜')).toBe('欧阳**');
  });

  it('keeps the configured code points of the normalized value', () => {
    const m = createMasker({ cn_mobile: { keepHead: 3, keepTail: 2 }, cn_name: { keepHead: 0, keepTail: 1 } });
    expect(m.mask('cn_mobile', '+86 138-1234-5678')).toBe('138******78');
    expect(m.mask('cn_name', '𠮷野家')).toBe('**家');
    expect(m.mask('cn_id_card', '11010519491231002X')).toBe('110105********002X');
  });

  it('hides everything for a full rule and uses the default for a default rule', () => {
    const m = createMasker({ email: { style: 'full' }, cn_mobile: { style: 'default' } });
    expect(m.mask('email', 'lihua@163.com')).toBe('*************');
    expect(m.mask('cn_mobile', '13812345678')).toBe('138****5678');
  });

  it('hides everything when the kept ends would cover the whole value', () => {
    const m = createMasker({ cn_id_card: { keepHead: 10, keepTail: 8 }, text: { keepHead: 64, keepTail: 64 } });
    expect(m.mask('cn_id_card', '11010519491231002X')).toBe('*'.repeat(18));
    expect(m.mask('text', 'abc')).toBe('***');
  });

  it('does not throw on odd values with a keep rule', () => {
    const m = createMasker({ cn_mobile: { keepHead: 3, keepTail: 4 } });
    expect(m.mask('cn_mobile', '')).toBe('');
    expect(m.mask('cn_mobile', '12')).toBe('**');
  });

  it.each([
    [{ keepHead: -1, keepTail: 0 }, /cn_mobile.*keepHead must be an integer from 0 to 64/],
    [{ keepHead: 1.5, keepTail: 0 }, /keepHead/],
    [{ keepHead: 0, keepTail: 65 }, /keepTail/],
    [{ keepHead: 0 }, /keepTail/],
    [{ style: 'partial' }, /style must be "full" or "default"/],
    [{ style: 'full', keepHead: 1 }, /no other fields/],
    [{ keepHead: 1, keepTail: 1, extra: 2 }, /unknown field "extra"/],
    [null, /must be an object/],
  ])('refuses the invalid rule %j with a RangeError', (rule, message) => {
    expect(() => createMasker({ cn_mobile: rule } as unknown as MaskRules)).toThrow(RangeError);
    expect(() => createMasker({ cn_mobile: rule } as unknown as MaskRules)).toThrow(message);
  });

  it('refuses a rule for a kind that does not exist', () => {
    expect(() => createMasker({ phone: { style: 'full' } } as unknown as MaskRules)).toThrow(/"phone": not a mask kind/);
  });
});

describe('parseMaskRules', () => {
  it('accepts an object or its JSON text and returns checked rules', () => {
    const json = '{"cn_mobile":{"keepHead":3,"keepTail":4},"email":{"style":"full"}}';
    expect(parseMaskRules(json)).toEqual({ cn_mobile: { keepHead: 3, keepTail: 4 }, email: { style: 'full' } });
    expect(parseMaskRules(JSON.parse(json))).toEqual(parseMaskRules(json));
    expect(parseMaskRules({})).toEqual({});
  });

  it('names the offending key and never repeats the configured value', () => {
    const secret = '13812345678';
    const attempts: unknown[] = [
      { cn_name: { keepHead: secret, keepTail: 0 } },
      { cn_name: { style: secret } },
      { cn_name: secret },
      { cn_name: { keepHead: 1, keepTail: Number(secret) } },
    ];
    for (const rules of attempts) {
      let message = '';
      try {
        parseMaskRules(rules);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toContain('"cn_name"');
      expect(message).not.toContain(secret);
    }
  });

  it('refuses text that is not JSON without echoing it, and JSON that is not an object', () => {
    expect(() => parseMaskRules('{cn_mobile: 13812345678')).toThrow(/^mask rules are not valid JSON$/);
    expect(() => parseMaskRules('[1,2]')).toThrow(/JSON object/);
    expect(() => parseMaskRules(42)).toThrow(RangeError);
  });

  it('does not let a __proto__ key through', () => {
    expect(() => parseMaskRules('{"__proto__":{"style":"full"}}')).toThrow(/"__proto__": not a mask kind/);
  });
});
