import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { NOTICE_PARTS, noticeHeading, type NoticeLang, type NoticePart, type NoticeText } from './notices.js';

/**
 * The CJK font: Noto Sans (Simplified Chinese, GB 2312 coverage; SIL OFL 1.1) shipped in the npm package
 * @embedpdf/fonts-sc, so rendering needs no system font. Read once, on first use.
 */
let font: Promise<Buffer> | undefined;
function loadFont(): Promise<Buffer> {
  // One weight only: each document parses the font it embeds, and a second weight doubles the time.
  font ??= readFile(join(dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')), '..', 'fonts', 'NotoSansHans-Regular.otf'));
  font.catch(() => {
    font = undefined;
  });
  return font;
}

/**
 * A notice as a PDF (A4), in Chinese or English, the font subset embedded (with its Unicode map, so the text
 * can be searched and copied), and the version and hash in the footer.
 *
 * @example const pdf = await renderNoticePdf('zh-CN', text, { caseId, version: 2, sha256 });
 */
export async function renderNoticePdf(lang: NoticeLang, text: NoticeText, meta: { readonly caseId: string; readonly version: number; readonly sha256: string }): Promise<Buffer> {
  const regular = await loadFont();
  const doc = new PDFDocument({ size: 'A4', margin: 56, lang, info: { Title: text.title, Subject: `${meta.caseId} v${meta.version}`, Creator: 'Custos', Producer: 'Custos' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('cjk', regular);
  doc.font('cjk').fontSize(18).text(text.title, { align: 'center' });
  doc.moveDown(1);
  for (const part of NOTICE_PARTS.filter((p): p is Exclude<NoticePart, 'title'> => p !== 'title')) {
    doc.fontSize(12.5).fillColor('#1a1a1a').text(noticeHeading(lang, part));
    doc.moveDown(0.3);
    doc.fontSize(11).fillColor('#000000').text(text[part], { lineGap: 3 });
    doc.moveDown(0.8);
  }
  doc.moveDown(1);
  const footer = lang === 'zh-CN' ? `事件编号 ${meta.caseId} · 第 ${meta.version} 版 · SHA-256 ${meta.sha256}` : `Case ${meta.caseId} · version ${meta.version} · SHA-256 ${meta.sha256}`;
  doc.fontSize(8).fillColor('#555555').text(footer);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
