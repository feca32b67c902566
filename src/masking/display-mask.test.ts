import { describe, expect, it } from 'vitest';
import { maskValue } from './display-mask.js';
import { redactPiece } from './redact.js';

describe('display masks', () => {
  it('keep no more than each rule says', () => {
    expect(maskValue('cn_mobile', '+86 138-1234-5678')).toBe('138****5678');
    expect(maskValue('cn_id_card', '11010519491231002X')).toBe('110105********002X');
    expect(maskValue('bank_card', '6222 0212 3456 7890 128')).toBe('622202*********0128');
    expect(maskValue('cn_name', '欧阳娜娜')).toBe('欧阳**');
    expect(maskValue('cn_name', '张三')).toBe('张*');
    expect(maskValue('cn_address', '广东省深圳市南山区科技路100号')).toBe('广东省深圳市南山区****');
    expect(maskValue('email', 'lihua@163.com')).toBe('l***@163.com');
    expect(maskValue('cn_landline', '0755-12345678')).toBe('0755-******78');
    expect(maskValue('cn_landline', '(020)23456789')).toBe('020-******89');
    expect(maskValue('cn_plate', '粤B12345')).toBe('粤B****5');
    expect(maskValue('cn_passport', 'EF1260892')).toBe('E*****892');
    expect(maskValue('hk_macau_permit', 'H1234567801')).toBe('H*******801');
    expect(maskValue('cn_uscc', '91350100M000100Y43')).toBe('91**************43');
    expect(maskValue('ipv4', '192.168.1.20')).toBe('192.168.*.*');
    expect(maskValue('ipv6', '2001:db8::8a2e:370:7334')).toBe('2001:db8:*');
    expect(maskValue('text', '深圳市华信科技有限公司')).toBe('***********');
  });

  it('mask everything of a value that does not fit its type, and never throw', () => {
    for (const kind of ['cn_mobile', 'cn_landline', 'ipv4', 'ipv6', 'email'] as const) {
      for (const v of ['', 'x', '12', '1.2', 'abc']) expect(maskValue(kind, v), `${kind} ${v}`).toMatch(/^\**$/);
    }
  });

  it('redacts findings in place and leaves the rest of the text', () => {
    const text = '手机13812345678，卡号6222021234567890128。';
    expect(
      redactPiece(text, [
        { type: 'cn_mobile', start: 2, end: 13, confidence: 0.95 },
        { type: 'bank_card', start: 16, end: 35, confidence: 0.95 },
      ]),
    ).toBe('手机138****5678，卡号622202*********0128。');
  });
});
