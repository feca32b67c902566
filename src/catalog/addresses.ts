/**
 * Postal addresses in free text (CN-PII.md §4.8): a run of administrative names from the gazetteer (province,
 * city, district) followed by a street, a house number and optionally building, unit and room. A place name alone
 * ("深圳市南山区") is a district, not an address: it is reported with a confidence below the default threshold.
 */
import { gazetteer } from './gazetteer.js';
import type { Finding } from './pii-types.js';

interface AdminIndex {
  /** First two characters (code units, c0 * 65536 + c1) → names starting with them, longest first. */
  readonly byFirst: ReadonlyMap<number, readonly string[]>;
  /** 1 where a name can start: one typed-array read per character of text. */
  readonly starts: Uint8Array;
}

let index: AdminIndex | undefined;

function adminIndex(): AdminIndex {
  if (index !== undefined) return index;
  const names = new Set<string>();
  for (const p of gazetteer().provinces) {
    names.add(p.name);
    for (const c of p.cities) {
      if (c.name !== '市辖区' && c.name !== '县' && c.name !== '省直辖县级行政区划' && c.name !== '自治区直辖县级行政区划') names.add(c.name);
      for (const d of c.districts) if (d.name !== '市辖区' && [...d.name].length >= 2) names.add(d.name);
    }
  }
  const byFirst = new Map<number, string[]>();
  const starts = new Uint8Array(65536);
  for (const n of names) {
    const c = n.charCodeAt(0) * 65536 + n.charCodeAt(1);
    const list = byFirst.get(c) ?? [];
    list.push(n);
    byFirst.set(c, list);
    starts[n.charCodeAt(0)] = 1;
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.length - a.length);
  index = { byFirst, starts };
  return index;
}

/** Street, house number, then building / unit / room parts, each of which needs a number or letter. */
const DETAIL =
  /(?:[\u4e00-\u9fa5]{1,8}?(?:街道|镇|乡))?[\u4e00-\u9fa5A-Za-z0-9]{1,12}?(?:大道|大街|路|街|巷|弄|胡同)(?:\d{1,5}|[一二三四五六七八九十百]{1,4})号(?:[\u4e00-\u9fa5]{0,8}?[0-9A-Za-z]{1,6}(?:号楼|号院|栋|幢|单元|室|楼|层|座|户))*/y;

/** The admin name at `i`, longest match, or undefined. */
function adminAt(text: string, i: number, byFirst: ReadonlyMap<number, readonly string[]>): string | undefined {
  const list = byFirst.get(text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1));
  if (list === undefined) return undefined;
  for (const n of list) if (text.startsWith(n, i)) return n;
  return undefined;
}

/** Finds addresses in `text`, appending to `out`. */
export function findAddresses(text: string, out: Finding[]): void {
  const { byFirst, starts } = adminIndex();
  for (let i = 0; i < text.length; i++) {
    if (starts[text.charCodeAt(i)] === 0) continue;
    let at = i;
    let levels = 0;
    for (let name = adminAt(text, at, byFirst); name !== undefined && levels < 4; name = adminAt(text, at, byFirst)) {
      at += name.length;
      levels++;
    }
    if (levels === 0) continue;
    DETAIL.lastIndex = at;
    const m = DETAIL.exec(text);
    if (m !== null) {
      out.push({ type: 'cn_address', start: i, end: at + m[0].length, confidence: levels >= 2 ? 0.95 : 0.85 });
      i = at + m[0].length - 1;
    } else {
      if (levels >= 3) out.push({ type: 'cn_address', start: i, end: at, confidence: 0.4 });
      i = at - 1;
    }
  }
}
