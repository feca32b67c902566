/**
 * Reads the administrative prefix of a mainland address (province → city → district) against the gazetteer.
 * Municipalities (北京市朝阳区…) and county-level cities under a province (湖北省仙桃市…) have no named
 * prefecture in addresses; their district is read straight after the province.
 */
import { gazetteer, type City, type District, type Province } from '../catalog/index.js';

/** What an address's prefix names, with the canonical gazetteer entries. */
export interface AddressPrefix {
  readonly province: Province;
  /** Undefined when no prefecture was read; may be an unnamed one (`市辖区`) when a municipality's district was. */
  readonly city: City | undefined;
  readonly district: District | undefined;
  /** UTF-16 length of the prefix as written in the address. */
  readonly length: number;
}

/** Gazetteer pseudo-prefectures that never appear in an address. */
const UNNAMED_CITY = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);
const PROVINCE_SUFFIX = /(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/;
const CITY_SUFFIX = /(?:市|地区|盟)$/;

/** True when the gazetteer entry stands for a name that does not appear in addresses. */
export function isUnnamedCity(city: City): boolean {
  return UNNAMED_CITY.has(city.name);
}

const VARIANTS = new Map<RegExp, Map<string, readonly string[]>>();

/** The names an entry may be written with: the full name, then the short one (`广东省`, `广东`). Computed once per name. */
function variants(name: string, suffix: RegExp): readonly string[] {
  let bySuffix = VARIANTS.get(suffix);
  if (bySuffix === undefined) VARIANTS.set(suffix, (bySuffix = new Map<string, readonly string[]>()));
  let names = bySuffix.get(name);
  if (names === undefined) {
    const short = name.replace(suffix, '');
    names = short.length >= 2 && short !== name ? [name, short] : [name];
    bySuffix.set(name, names);
  }
  return names;
}

/** Spaces at `at` (the sticky expression reads them in place). */
const SPACES = /\s*/y;

/** The gazetteer's lists, filtered once per province: the named prefectures and the unnamed ones' districts. */
interface ProvinceLists {
  readonly named: readonly City[];
  readonly unnamedDistricts: readonly District[];
}
const LISTS = new WeakMap<Province, ProvinceLists>();

function listsOf(province: Province): ProvinceLists {
  let lists = LISTS.get(province);
  if (lists === undefined) {
    lists = { named: province.cities.filter((c) => !isUnnamedCity(c)), unnamedDistricts: province.cities.filter(isUnnamedCity).flatMap((c) => c.districts) };
    LISTS.set(province, lists);
  }
  return lists;
}

interface Match<T> {
  readonly entry: T;
  readonly end: number;
}

/** Entries whose name (or short name, if allowed) is written at `at`, skipping spaces before it. */
function matchAt<T extends { readonly name: string }>(
  text: string, at: number, entries: readonly T[], suffix: RegExp | null,
): Match<T>[] {
  SPACES.lastIndex = at;
  const start = at + (SPACES.exec(text)?.[0].length ?? 0);
  const out: Match<T>[] = [];
  const first = text.charCodeAt(start);
  for (const entry of entries) {
    // A short name is the full one without its suffix: both start with the same character.
    if (entry.name.charCodeAt(0) !== first) continue;
    const names = suffix === null ? [entry.name] : variants(entry.name, suffix);
    const hit = names.find((n) => text.startsWith(n, start));
    if (hit !== undefined) out.push({ entry, end: start + hit.length });
  }
  return out;
}

/** The city holding a district within a province. */
function cityOf(province: Province, district: District): City | undefined {
  return province.cities.find((c) => c.districts.includes(district));
}

/** All readings of the prefix after an optional province match. */
function readings(text: string, province: Province, at: number, shortCities: boolean): AddressPrefix[] {
  const out: AddressPrefix[] = [{ province, city: undefined, district: undefined, length: at }];
  const { named, unnamedDistricts } = listsOf(province);
  for (const c of matchAt(text, at, named, shortCities ? CITY_SUFFIX : null)) {
    out.push({ province, city: c.entry, district: undefined, length: c.end });
    for (const d of matchAt(text, c.end, c.entry.districts, null)) {
      out.push({ province, city: c.entry, district: d.entry, length: d.end });
    }
  }
  // Districts of the cities with no name in addresses (a municipality's, a province's county-level cities).
  for (const d of matchAt(text, at, unnamedDistricts, null)) {
    out.push({ province, city: cityOf(province, d.entry), district: d.entry, length: d.end });
  }
  return out;
}

let byFirst: Map<number, { readonly province: Province; readonly city: City }[]> | undefined;

/** Every named prefecture with its province, by the first character of its name, in gazetteer order (built once). */
function namedCitiesByFirst(): ReadonlyMap<number, readonly { readonly province: Province; readonly city: City }[]> {
  if (byFirst !== undefined) return byFirst;
  const index = new Map<number, { readonly province: Province; readonly city: City }[]>();
  for (const province of gazetteer().provinces) {
    for (const city of listsOf(province).named) {
      const list = index.get(city.name.charCodeAt(0)) ?? [];
      list.push({ province, city });
      index.set(city.name.charCodeAt(0), list);
    }
  }
  byFirst = index;
  return index;
}

/** Ranks readings: a district beats a city beats a province; then the longer prefix. */
function score(r: AddressPrefix): number {
  return (r.district !== undefined ? 2000 : 0) + (r.city !== undefined ? 1000 : 0) + r.length;
}

/**
 * The administrative prefix of an address, or undefined when no province or prefecture is named at its start.
 * Without a province, only full prefecture names are accepted (`深圳市南山区…`), so `朝阳区…` is not read as 朝阳市.
 *
 * @example parseAddressPrefix('广东省深圳市南山区科技园路1号')?.district?.name === '南山区'
 */
export function parseAddressPrefix(address: string): AddressPrefix | undefined {
  const provinces = gazetteer().provinces;
  const found: AddressPrefix[] = [];
  for (const p of matchAt(address, 0, provinces, PROVINCE_SUFFIX)) {
    found.push(...readings(address, p.entry, p.end, true).filter((r) => r.length > 0));
  }
  // A prefecture named first (深圳市…), in gazetteer order: only those whose name starts with the address's first character.
  SPACES.lastIndex = 0;
  const start = SPACES.exec(address)?.[0].length ?? 0;
  for (const { province, city } of namedCitiesByFirst().get(address.charCodeAt(start)) ?? []) {
    if (address.startsWith(city.name, start)) found.push(...readings(address, province, 0, false).filter((r) => r.city === city));
  }
  return found.reduce<AddressPrefix | undefined>((best, r) => (best === undefined || score(r) > score(best) ? r : best), undefined);
}
