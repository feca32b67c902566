import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { renderNoticePdf } from './notice-pdf.js';
import { draftNotice, noticeProblems, renderNoticeHtml, type NoticeFacts } from './notices.js';

const facts: NoticeFacts = {
  caseId: 'case-01TEST',
  discoveredAt: '2026-03-02T09:00:00.000Z',
  people: 25,
  information: [
    { column: 'name', type: 'cn_name', category: 'other' },
    { column: 'mobile', type: 'cn_mobile', category: 'other' },
    { column: 'bank_card', type: 'bank_card', category: 'property' },
    { column: 'employer', type: null, category: 'other' },
  ],
  sensitive: true,
  minors: 1,
  cause: null,
  containment: ['suspend', 'suspend'],
  measures: 'ticket review tightened for the team',
  severity: 'serious',
  grade: 'general',
  deadline: null,
  reportTo: null,
  company: '示例科技有限公司',
  contact: '个人信息保护负责人 pipo@example.com，电话 400-000-0000',
};

async function pdfText(pdf: Buffer): Promise<string> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  let out = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    out += content.items.map((it) => ('str' in it ? it.str : '')).join('');
  }
  await doc.destroy();
  return out;
}

describe('incident notices (PIPL Art. 57)', () => {
  it('drafts all four notices with every Art. 57 part filled, in the right language', () => {
    for (const audience of ['regulator', 'individual'] as const) {
      const zh = draftNotice(audience, 'zh-CN', facts);
      const en = draftNotice(audience, 'en', facts);
      expect(noticeProblems(zh)).toEqual([]);
      expect(noticeProblems(en)).toEqual([]);
      expect(zh.information).toContain('银行卡号');
      expect(zh.information).toContain('工作单位');
      expect(en.information).toContain('bank card number');
      expect(zh.harm).toMatch(/诈骗/);
      expect(zh.advice).toMatch(/110/);
      expect(en.advice).toMatch(/bank/);
      expect(zh.measures).toContain('已暂停涉事人员的系统账号；ticket review tightened for the team');
      expect(en.measures).toContain('suspended the account of the person involved; ticket review tightened');
      expect(zh.contact).toBe(facts.contact);
      expect(en.summary).toContain('case-01TEST');
    }
    expect(draftNotice('regulator', 'zh-CN', facts).summary).toMatch(/25 名个人，含敏感个人信息，其中不满十四周岁的未成年人 1 人/);
    expect(draftNotice('regulator', 'en', facts).summary).toMatch(/at the "serious" criminal threshold/);
    expect(draftNotice('individual', 'zh-CN', facts).title).toBe('个人信息安全事件告知书');
    // The person reads "you"; the regulator reads about the people affected.
    expect(draftNotice('individual', 'zh-CN', facts).harm).toMatch(/^您可能接到/);
    expect(draftNotice('regulator', 'zh-CN', facts).harm).toMatch(/^受影响的个人可能接到/);
    expect(draftNotice('regulator', 'en', facts).harm).toMatch(/^The people affected may receive .* their name/);
    expect(draftNotice('regulator', 'en', facts).harm).not.toMatch(/\byour?\b/i);
  });

  it('leaves the contact empty without a configured company contact, and says the notice is incomplete', () => {
    const d = draftNotice('individual', 'en', { ...facts, contact: null, company: null });
    expect(d.contact).toBe('');
    expect(noticeProblems(d)).toEqual(['contact']);
    expect(noticeProblems({ ...d, contact: 'x', cause: 'y'.repeat(4001) })).toEqual(['cause']);
  });

  it('states the reporting deadline in the regulator report when one applies', () => {
    const d = draftNotice('regulator', 'zh-CN', { ...facts, grade: 'relatively_major', deadline: '2026-03-02T13:00:00.000Z', reportTo: { zh: '属地省级网信部门', en: 'the provincial cyberspace administration' } });
    expect(d.summary).toMatch(/事件分级：较大/);
    expect(d.summary).toMatch(/2026-03-02T13:00:00.000Z 前报送属地省级网信部门/);
  });

  it('renders HTML with every text escaped and the version and hash in the footer', () => {
    const d = { ...draftNotice('individual', 'zh-CN', facts), cause: '<script>alert(1)</script> & "x"' };
    const html = renderNoticeHtml('zh-CN', d, { caseId: 'case-01TEST', version: 3, sha256: 'ab'.repeat(32) });
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<h2>可能造成的危害</h2>');
    expect(html).toContain(`第 3 版 · SHA-256 ${'ab'.repeat(32)}`);
  });

  it('renders a PDF that parses and holds the Chinese and the English text (font embedded from the npm package)', async () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const d = draftNotice('individual', lang, facts);
      const pdf = await renderNoticePdf(lang, d, { caseId: 'case-01TEST', version: 1, sha256: 'cd'.repeat(32) });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = (await pdfText(pdf)).replace(/\s+/g, '');
      expect(text).toContain(d.title.replace(/\s+/g, ''));
      expect(text).toContain(d.advice.replace(/\s+/g, '').slice(0, 30));
      expect(text).toContain(d.contact.replace(/\s+/g, ''));
      expect(text).toContain('cd'.repeat(32));
      if (lang === 'zh-CN') {
        expect(text).toContain('个人可以采取的减轻危害的措施');
        expect(text).toContain('银行卡号');
        // The embedded font is a subset of Noto Sans (Simplified Chinese).
        expect(pdf.toString('latin1')).toMatch(/\/FontName \/[A-Z]{6}\+NotoSans/);
      }
    }
  }, 30_000);
});
