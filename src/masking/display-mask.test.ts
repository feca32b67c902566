import { describe, expect, it } from 'vitest';
import { maskAddress, maskValue, type MaskKind } from './display-mask.js';
import { redactPiece } from './redact.js';

const KINDS: readonly MaskKind[] = [
  'cn_id_card', 'cn_mobile', 'cn_landline', 'bank_card', 'cn_uscc', 'cn_passport', 'hk_macau_permit', 'cn_plate',
  'email', 'ipv4', 'ipv6', 'cn_name', 'cn_address', 'text',
];

describe('default display masks', () => {
  it.each([
    ['cn_mobile', '13812345678', '138****5678'],
    ['cn_mobile', '+86 138-1234-5678', '138****5678'],
    ['cn_mobile', '0086 13812345678', '138****5678'],
    ['cn_mobile', '８６１３８１２３４５６７８', '138****5678'],
    ['cn_id_card', '11010519491231002X', '110105********002X'],
    ['cn_id_card', '11010519491231002x', '110105********002X'],
    ['cn_id_card', '340524800101001', '340524******001'],
    ['bank_card', '6222021234567890128', '622202*********0128'],
    ['bank_card', '6200 0000 0000 0005', '620000******0005'],
    ['cn_name', '张三', '张*'],
    ['cn_name', '张三丰', '张**'],
    ['cn_name', '欧阳娜娜', '欧阳**'],
    ['cn_name', '欧阳', '欧*'],
    ['cn_address', '广东省深圳市南山区科技园路1号', '广东省深圳市南山区****'],
    ['cn_address', '北京市朝阳区建国路88号', '北京市朝阳区****'],
    ['email', 'lihua@163.com', 'l***@163.com'],
    ['email', 'a@qq.com', '***@qq.com'],
    ['cn_landline', '0755-12345678', '0755-******78'],
    ['cn_landline', '(010) 1234 5678', '010-******78'],
    ['cn_landline', '02087654321', '020-******21'],
    ['cn_landline', '(020)23456789', '020-******89'],
    ['cn_landline', '0755-12345678转123', '0755-******78'],
    ['cn_uscc', '91350100M000100Y43', '91**************43'],
    ['cn_passport', 'EF1260892', 'E*****892'],
    ['hk_macau_permit', 'H12345678', 'H*****678'],
    ['hk_macau_permit', 'H1234567801', 'H*******801'],
    ['cn_plate', '粤B12345', '粤B****5'],
    ['cn_plate', '粤B·D12345', '粤B*****5'],
    ['ipv4', '192.168.1.20', '192.168.*.*'],
    ['ipv6', '2001:0DB8:0000::8a2e:370:7334', '2001:db8:*'],
    ['ipv6', '::ffff:192.168.1.1', '0:0:*'],
    ['text', '深圳市华信科技有限公司', '***********'],
  ] as const)('masks %s %s as %s', (kind, value, masked) => {
    expect(maskValue(kind, value)).toBe(masked);
  });

  it('counts code points, so a name with a supplementary-plane character is not split', () => {
    expect(maskValue('cn_name', '𠮷野家')).toBe('𠮷**');
    expect(maskValue('text', '𠮷a')).toBe('**');
  });

  it.each(KINDS)('hides every character of odd input for %s and never throws', (kind) => {
    for (const odd of ['', 'x', '12345', '😀😀😀', '1381234567890123456789', '@@@', '1.2.3']) {
      const out = maskValue(kind, odd);
      expect(out).toMatch(/^\**$/);
      expect([...out].length).toBe([...odd.trim()].length);
    }
  });

  it('hides wrong-length numbers whole instead of keeping their ends', () => {
    expect(maskValue('cn_id_card', '1101051949123')).toBe('*************');
    expect(maskValue('bank_card', '62220212345')).toBe('***********');
    expect(maskValue('cn_mobile', '1381234567')).toBe('**********');
    expect(maskValue('cn_landline', '0755-123')).toBe('********');
  });

  it('hides all of a value whose kind is unknown at run time', () => {
    expect(maskValue('phone' as MaskKind, '13812345678')).toBe('***********');
  });

  it('reads addresses without a province and keeps only the administrative prefix', () => {
    expect(maskAddress('深圳市南山区科技园路1号')).toBe('深圳市南山区****');
    expect(maskAddress('湖北省仙桃市沔阳大道1号')).toBe('湖北省仙桃市****');
    expect(maskAddress('某某省某某市某某区幸福路9号')).toBe('某某省某某市某某区****');
    expect(maskAddress('九龙弥敦道123号')).toBe('*********');
  });

  it('never shows the digits of a mobile number between the prefix and the last four', () => {
    const out = maskValue('cn_mobile', '13899990000');
    expect(out).toBe('138****0000');
    expect(out).not.toContain('9');
  });
});

describe('redactPiece', () => {
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
