/**
 * Notice export cost: a PDF with the embedded CJK font (zh-CN and en) and the HTML page, against the same English
 * text in pdfkit's built-in Helvetica (no font to parse or embed) in the same run. BENCH_NOTICE_ROUNDS (default 5).
 */
import PDFDocument from 'pdfkit';
import { draftNotice, renderNoticeHtml, renderNoticePdf, type NoticeFacts, type NoticeText } from '../src/cases/index.js';
import { fmt, median } from './stats.js';

const facts: NoticeFacts = {
  caseId: 'case-BENCH',
  discoveredAt: '2026-03-02T09:00:00.000Z',
  people: 25,
  information: [
    { column: 'name', type: 'cn_name', category: 'other' },
    { column: 'mobile', type: 'cn_mobile', category: 'other' },
    { column: 'bank_card', type: 'bank_card', category: 'property' },
  ],
  sensitive: true,
  minors: 0,
  cause: null,
  containment: ['suspend'],
  measures: null,
  severity: 'serious',
  grade: 'general',
  deadline: null,
  reportTo: null,
  company: 'Example Co.',
  contact: 'pipo@example.com',
};
const meta = { caseId: facts.caseId, version: 1, sha256: 'a'.repeat(64) };

/** The baseline: the same parts in a standard PDF font. */
async function helvetica(text: NoticeText): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56 });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((r) => doc.on('end', r));
  doc.font('Helvetica').fontSize(18).text(text.title, { align: 'center' });
  for (const v of Object.values(text)) doc.fontSize(11).text(v, { lineGap: 3 });
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

async function time(f: () => unknown): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

export async function run(): Promise<void> {
  const rounds = Number(process.env['BENCH_NOTICE_ROUNDS'] ?? 5);
  const zh = draftNotice('individual', 'zh-CN', facts);
  const en = draftNotice('individual', 'en', facts);
  // The first PDF reads the font file from node_modules (once per process).
  const first = await time(() => renderNoticePdf('zh-CN', zh, meta));
  const runs = { zh: [] as number[], en: [] as number[], html: [] as number[], base: [] as number[] };
  let sizes = { zh: 0, en: 0, base: 0 };
  for (let i = 0; i < rounds; i++) {
    runs.base.push(await time(async () => (sizes.base = (await helvetica(en)).length)));
    runs.zh.push(await time(async () => (sizes = { ...sizes, zh: (await renderNoticePdf('zh-CN', zh, meta)).length })));
    runs.en.push(await time(async () => (sizes = { ...sizes, en: (await renderNoticePdf('en', en, meta)).length })));
    runs.html.push(await time(() => renderNoticeHtml('zh-CN', zh, meta)));
  }
  const base = median(runs.base);
  console.log(`first PDF (reads the font): ${fmt(first)} ms`);
  console.log(`baseline, Helvetica PDF (en): median ${fmt(base)} ms, ${sizes.base} bytes`);
  console.log(`PDF zh-CN, embedded CJK font: median ${fmt(median(runs.zh))} ms (${fmt(median(runs.zh) / base)}x baseline), ${sizes.zh} bytes`);
  console.log(`PDF en, embedded CJK font: median ${fmt(median(runs.en))} ms (${fmt(median(runs.en) / base)}x baseline), ${sizes.en} bytes`);
  console.log(`HTML zh-CN: median ${fmt(median(runs.html), 3)} ms`);
  console.log(`(${rounds} rounds)`);
}
