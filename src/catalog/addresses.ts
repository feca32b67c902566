/**
 * Postal addresses in free text (CN-PII.md §4.8): a run of administrative names from the gazetteer (province,
 * city, district) followed by a street, a house number and optionally building, unit and room. A place name alone
 * ("深圳市南山区") is a district, not an address: it is reported with a confidence below the default threshold.
 */
import { gazetteer } from './gazetteer.js';
import { pairKey } from './names.js';
import type { Finding } from './pii-types.js';

interface AdminIndex {
  /** First two characters (pairKey) → names starting with them, longest first. */
  readonly byFirst: ReadonlyMap<number, readonly string[]>;
  /** 1 where a name can start: one typed-array read per character of text. All are Han characters. */
  readonly starts: Uint8Array;
  /** 1 at pairFilter(c0, c1) when some name may start with that pair: most pairs are ruled out without a map read. */
  readonly pairs: Uint8Array;
}

const PAIR_FILTER_BITS = 18;
const pairFilter = (c0: number, c1: number): number => ((c0 * 40503) ^ c1) & ((1 << PAIR_FILTER_BITS) - 1);

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
  const pairs = new Uint8Array(1 << PAIR_FILTER_BITS);
  for (const n of names) {
    const c = pairKey(n.charCodeAt(0), n.charCodeAt(1));
    const list = byFirst.get(c) ?? [];
    list.push(n);
    byFirst.set(c, list);
    starts[n.charCodeAt(0)] = 1;
    pairs[pairFilter(n.charCodeAt(0), n.charCodeAt(1))] = 1;
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.length - a.length);
  index = { byFirst, starts, pairs };
  return index;
}

/** Street, house number, then building / unit / room parts, each of which needs a number or letter. */
const DETAIL =
  /(?:[\u4e00-\u9fa5]{1,8}?(?:街道|镇|乡))?[\u4e00-\u9fa5A-Za-z0-9]{1,12}?(?:大道|大街|路|街|巷|弄|胡同)(?:\d{1,5}|[一二三四五六七八九十百]{1,4})号(?:[\u4e00-\u9fa5]{0,8}?[0-9A-Za-z]{1,6}(?:号楼|号院|栋|幢|单元|室|楼|层|座|户))*/y;

/** The length of the admin name at `i`, longest match, or 0. */
function adminAt(text: string, i: number, { byFirst, pairs }: AdminIndex): number {
  const c0 = text.charCodeAt(i);
  const c1 = text.charCodeAt(i + 1);
  if (pairs[pairFilter(c0, c1)] !== 1) return 0;
  const list = byFirst.get(pairKey(c0, c1));
  if (list === undefined) return 0;
  for (const n of list) if (text.startsWith(n, i)) return n.length;
  return 0;
}

/** Per code unit: 1 where an administrative name can start (loads the gazetteer on first use). */
export function addressStarts(): Uint8Array {
  return adminIndex().starts;
}

/**
 * Finds addresses one start position at a time, so that the text scanner can drive it from its own pass over the
 * text; {@link findAddresses} drives it alone.
 */
export class AddressFinder {
  /** Positions before this one lie in an address just found (or in admin names) and are not looked at. */
  next = 0;
  private readonly index = adminIndex();

  constructor(
    private readonly text: string,
    private readonly out: Finding[],
  ) {}

  /** Looks for an address starting at `i`, where an admin name can start (addressStarts()). */
  at(i: number): void {
    const text = this.text;
    let at = i;
    let levels = 0;
    for (let n = adminAt(text, at, this.index); n > 0 && levels < 4; n = adminAt(text, at, this.index)) {
      at += n;
      levels++;
    }
    if (levels === 0) return;
    DETAIL.lastIndex = at;
    const m = DETAIL.exec(text);
    if (m !== null) {
      this.out.push({ type: 'cn_address', start: i, end: at + m[0].length, confidence: levels >= 2 ? 0.95 : 0.85 });
      this.next = at + m[0].length;
    } else {
      if (levels >= 3) this.out.push({ type: 'cn_address', start: i, end: at, confidence: 0.4 });
      this.next = at;
    }
  }
}

/** Finds addresses in `text`, appending to `out`. */
export function findAddresses(text: string, out: Finding[]): void {
  const starts = addressStarts();
  const finder = new AddressFinder(text, out);
  for (let i = 0; i < text.length; i++) if (starts[text.charCodeAt(i)] === 1 && i >= finder.next) finder.at(i);
}
