import { gazetteer, idCardCheckDigit, luhnCheckDigit, MOBILE_PREFIXES, type City, type District, type Province } from '../catalog/index.js';
import type { Random } from './random.js';

/** A real place: province, prefecture-level city and district, with the district's GB/T 2260 code. */
export interface Place {
  readonly province: Province;
  readonly city: City;
  readonly district: District;
}

let places: readonly Place[] | undefined;

function allPlaces(): readonly Place[] {
  places ??= gazetteer().provinces.flatMap((province) =>
    province.cities.flatMap((city) => city.districts.map((district) => ({ province, city, district }))),
  );
  return places;
}

/** A random real district. */
export function randomPlace(rng: Random): Place {
  return rng.pick(allPlaces());
}

/** A mobile number with an allocated MIIT prefix. */
export function generateMobile(rng: Random): string {
  return rng.pick(MOBILE_PREFIXES) + rng.digits(8);
}

/** An 18-digit ID number with a real area code, a real birth date and a correct GB 11643 check digit. */
export function generateIdNumber(rng: Random, place: Place, birth: { year: number; month: number; day: number }): string {
  const first17 =
    place.district.code +
    String(birth.year).padStart(4, '0') +
    String(birth.month).padStart(2, '0') +
    String(birth.day).padStart(2, '0') +
    rng.digits(3);
  return first17 + idCardCheckDigit(first17);
}

/** A birth date between the given years (inclusive). */
export function generateBirth(rng: Random, fromYear: number, toYear: number): { year: number; month: number; day: number } {
  const year = rng.int(fromYear, toYear);
  const month = rng.int(1, 12);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { year, month, day: rng.int(1, days) };
}

// Issuer prefixes of UnionPay debit cards (62xxxx) of large banks, used for realistic BINs.
const UNIONPAY_BINS = ['622202', '622848', '621700', '622700', '621661', '622588', '621483', '622609', '623668', '625911'];

/** A UnionPay bank card (prefix 62), 16 or 19 digits, passing Luhn. */
export function generateBankCard(rng: Random): string {
  const length = rng.chance(0.6) ? 19 : 16;
  const payload = rng.pick(UNIONPAY_BINS) + rng.digits(length - 7);
  return payload + luhnCheckDigit(payload);
}

const ROADS = ['人民', '解放', '建设', '中山', '和平', '新华', '胜利', '光明', '幸福', '朝阳', '文化', '东风', '青年', '长江', '黄河', '滨江', '科技', '工业', '学府', '迎宾'];
const ROAD_SUFFIX = ['路', '大道', '街', '大街'];
const COMMUNITIES = ['花园', '小区', '家园', '新村', '公寓', '苑', '名都', '嘉园'];

const CITY_PLACEHOLDERS: ReadonlySet<string> = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

/** A street address inside a real province, city and district. */
export function generateAddress(rng: Random, place: Place): string {
  // The gazetteer's placeholders for directly administered districts are no part of an address.
  const city = CITY_PLACEHOLDERS.has(place.city.name) ? '' : place.city.name;
  const road = `${rng.pick(ROADS)}${rng.pick(ROAD_SUFFIX)}${rng.int(1, 999)}号`;
  const home = `${rng.pick(ROADS)}${rng.pick(COMMUNITIES)}${rng.int(1, 30)}栋${rng.int(1, 6)}单元${rng.int(1, 33)}0${rng.int(1, 4)}室`;
  return `${place.province.name}${city}${place.district.name}${road}${home}`;
}

const MAIL_DOMAINS = ['163.com', '126.com', 'qq.com', 'sina.com', 'foxmail.com', 'outlook.com', 'gmail.com', 'yeah.net'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** An e-mail address (QQ numbers at qq.com, otherwise a short handle). */
export function generateEmail(rng: Random): string {
  const domain = rng.pick(MAIL_DOMAINS);
  if (domain === 'qq.com') return `${rng.int(10000, 3999999999)}@qq.com`;
  let handle = '';
  const len = rng.int(4, 10);
  for (let i = 0; i < len; i++) handle += LETTERS[rng.int(0, 25)]!;
  return `${handle}${rng.chance(0.5) ? rng.int(1, 9999) : ''}@${domain}`;
}
