/**
 * The planted values of the PII corpus (pii-corpus.ts): names by surname frequency, phone numbers in their written
 * forms, cards, landlines, credit codes, travel documents, plates, e-mail and IP addresses, postal addresses, old
 * IDs. Every value is valid (check digits, allocated prefixes, real area codes from the gazetteer).
 */
import { luhnCheckDigit } from '../catalog/index.js';
import type { Random } from './random.js';
import { generateAddress, generateBirth, generateEmail, randomPlace, type Place } from './identifiers.js';

const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'; // no I, O
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

// Surnames by frequency band (MPS 2019): the top five, the next fifteen, then a longer tail; plus compound ones.
const TOP_SURNAMES = '王李张刘陈';
const NEXT_SURNAMES = '杨黄赵吴周徐孙马朱胡郭何高林罗';
const TAIL_SURNAMES =
  '郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕';
const COMPOUND_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '慕容', '令狐', '公孙', '夏侯', '尉迟', '宇文', '长孙', '端木', '南宫', '司徒'];
const MALE_GIVEN = [
  '伟', '强', '磊', '军', '勇', '杰', '涛', '斌', '超', '明', '刚', '鹏', '浩然', '子轩', '宇轩', '浩宇', '俊杰', '建国', '建华', '志强', '志明',
  '文博', '博文', '晓东', '海涛', '永强', '国强', '家豪', '子豪', '一鸣', '天宇', '思远', '明轩', '梓豪', '俊熙', '宏伟', '振华', '立新', '德明',
  '建军', '鹏飞', '雨泽', '嘉懿', '煜城', '皓轩', '秋生', '金龙', '卫东', '红兵', '长江',
];
const FEMALE_GIVEN = [
  '芳', '娜', '敏', '静', '丽', '艳', '娟', '婷', '雪', '颖', '秀英', '桂英', '玉兰', '秀兰', '丽娟', '海燕', '晓燕', '春梅', '红霞', '丽华', '欣怡',
  '梓涵', '诗涵', '雨桐', '一诺', '子萱', '梓萱', '思琪', '佳怡', '雨欣', '梦琪', '晓雯', '静怡', '婉婷', '雅琪', '慧敏', '美玲', '淑芬', '嘉欣',
  '娜娜', '若曦', '语嫣', '紫涵', '秀珍', '凤英', '玉梅', '翠花', '晓丽', '文静', '佳琪',
];
const MALE_CHARS = '伟强磊军洋勇杰涛明超辉刚平鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林峰建国志文博睿轩晨阳天昊嘉泽然鸣宏毅海亮成家豪振东永兴';
const FEMALE_CHARS = '芳娜敏静丽艳娟霞秀英玲兰萍红燕婷雪琳晶洁慧颖倩佳怡欣梦雨诗涵萱琪悦璐丹蕾薇莉娇月莹瑶妍婧';

export interface Named {
  readonly name: string;
  readonly male: boolean;
}

export function generateName(rng: Random, male = rng.chance(0.5)): Named {
  const r = rng.next();
  const surname =
    r < 0.08 ? rng.pick(COMPOUND_SURNAMES)
    : r < 0.36 ? pickChar(rng, TOP_SURNAMES)
    : r < 0.64 ? pickChar(rng, NEXT_SURNAMES)
    : pickChar(rng, TAIL_SURNAMES);
  let given: string;
  if (rng.chance(0.6)) given = rng.pick(male ? MALE_GIVEN : FEMALE_GIVEN);
  else {
    const chars = male ? MALE_CHARS : FEMALE_CHARS;
    given = pickChar(rng, chars) + (rng.chance(0.8) ? pickChar(rng, chars) : '');
  }
  return { name: surname + given, male };
}

export function pickChar(rng: Random, chars: string): string {
  return chars[rng.int(0, chars.length - 1)]!;
}

/** 13812345678, 138 1234 5678, 138-1234-5678, +86 13812345678, +86-138-1234-5678. */
export function formatMobile(rng: Random, m: string): string {
  const r = rng.next();
  const a = m.slice(0, 3), b = m.slice(3, 7), c = m.slice(7);
  if (r < 0.45) return m;
  if (r < 0.6) return `${a} ${b} ${c}`;
  if (r < 0.75) return `${a}-${b}-${c}`;
  if (r < 0.9) return `+86 ${m}`;
  return `+86-${a}-${b}-${c}`;
}

// A few Visa / Mastercard co-branded and UnionPay credit BINs of Chinese issuers.
const OTHER_BINS = ['438088', '427020', '436742', '404117', '512315', '524047', '552599', '518710', '625804', '628288', '625965', '621226'];

/** A card from another BIN (Visa 4, Mastercard 5 or UnionPay 62), 16–19 digits, passing Luhn. */
export function generateOtherCard(rng: Random): string {
  const bin = rng.pick(OTHER_BINS);
  const length = bin.startsWith('62') ? rng.int(16, 19) : 16;
  const payload = bin + rng.digits(length - bin.length - 1);
  return payload + luhnCheckDigit(payload);
}

export function formatCard(rng: Random, card: string): string {
  return rng.chance(0.3) ? card.replace(/(\d{4})(?=\d)/g, '$1 ') : card;
}

// Three-digit area codes (010, 02x) take 8-digit local numbers; four-digit ones 7 or 8.
const AREA3 = ['010', '020', '021', '022', '023', '024', '025', '027', '028', '029'];
const AREA4 = ['0755', '0571', '0512', '0531', '0532', '0551', '0591', '0731', '0771', '0871', '0851', '0898', '0311', '0351', '0371', '0431', '0451', '0471', '0791', '0931', '0951', '0971', '0991', '0769', '0757', '0754', '0574', '0577', '0516', '0592'];

/** 010-12345678, 0755-1234567, (020)12345678. */
export function generateLandline(rng: Random): string {
  const short = rng.chance(0.5);
  const area = short ? rng.pick(AREA3) : rng.pick(AREA4);
  const localLength = short || rng.chance(0.6) ? 8 : 7;
  const local = String(rng.int(2, 8)) + rng.digits(localLength - 1);
  return rng.chance(0.75) ? `${area}-${local}` : `(${area})${local}`;
}

/** GB 11714 check character of an 8-character organization code body. */
function orgCodeCheck(body: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = body.charCodeAt(i);
    const v = ch <= 57 ? ch - 48 : ch - 55; // A = 10 … Z = 35
    sum += v * ORG_WEIGHTS[i]!;
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** GB 32100 check character of the first 17 characters of a USCC. */
function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  return USCC_CHARSET[(31 - (sum % 31)) % 31]!;
}

/** A USCC: authority and type, a real division code, an organization code with its own check, the mod-31 check. */
export function generateUscc(rng: Random, place: Place): string {
  const head = rng.pick(['91', '91', '91', '91', '92', '93', '11', '12', '51', '52', '53', 'Y1']);
  let body: string;
  if (rng.chance(0.55)) {
    // Codes issued since 2015 carry a new 9-character entity number, commonly beginning MA.
    body = 'MA';
    for (let i = 0; i < 6; i++) body += USCC_CHARSET[rng.int(1, USCC_CHARSET.length - 1)]!;
  } else body = rng.digits(8);
  const first17 = head + place.district.code + body + orgCodeCheck(body);
  return first17 + usccCheckChar(first17);
}

/** E + 8 digits, or (since 2017) E + a letter other than I/O + 7 digits. */
export function generatePassport(rng: Random): string {
  return rng.chance(0.5) ? `E${rng.digits(8)}` : `E${pickChar(rng, PLATE_LETTERS)}${rng.digits(7)}`;
}

/** 回乡证: H (Hong Kong) or M (Macau) + 8-digit lifetime number, sometimes + 2-digit renewal count. */
export function generatePermit(rng: Random): string {
  const base = (rng.chance(0.75) ? 'H' : 'M') + String(rng.int(1, 9)) + rng.digits(7);
  return rng.chance(0.4) ? base + '0' + String(rng.int(0, 6)) : base;
}

/** Ordinary plates (粤B12345, 京AF0236) and new-energy plates (粤BD12345, 沪A12345F). */
export function generatePlate(rng: Random, newEnergy = rng.chance(0.3)): string {
  const head = pickChar(rng, PLATE_PROVINCES) + (rng.chance(0.7) ? pickChar(rng, 'ABCDEFGH') : pickChar(rng, PLATE_LETTERS));
  if (newEnergy) {
    if (rng.chance(0.85)) {
      const second = rng.chance(0.6) ? String(rng.int(0, 9)) : pickChar(rng, PLATE_LETTERS);
      return `${head}${rng.pick(['D', 'F'])}${second}${rng.digits(4)}`;
    }
    return `${head}${rng.digits(5)}${rng.pick(['D', 'F'])}`;
  }
  let tail = '';
  let letters = 0;
  for (let i = 0; i < 5; i++) {
    if (letters < 2 && rng.chance(0.18)) {
      tail += pickChar(rng, PLATE_LETTERS);
      letters++;
    } else tail += String(rng.int(0, 9));
  }
  return head + tail;
}

const HANDLES = ['zhangwei', 'liuyang', 'wangfang', 'chenjing', 'lixia', 'huangmin', 'zhaolei', 'wujie', 'zhouting', 'xuhao', 'sunli', 'mali', 'zhuyu', 'hujun', 'guoqiang', 'linna', 'heyan', 'gaofeng', 'luoxin', 'liangchen', 'ouyang.nana', 'shangguan'];
const MORE_DOMAINS = ['139.com', 'sohu.com', 'aliyun.com', 'hotmail.com', 'icloud.com', 'sina.cn', 'vip.163.com'];

export function generateMail(rng: Random): string {
  if (rng.chance(0.6)) return generateEmail(rng);
  const sep = rng.pick(['', '.', '_']);
  const suffix = rng.chance(0.6) ? sep + String(rng.int(1, 2005)) : '';
  return `${rng.pick(HANDLES)}${suffix}@${rng.pick(MORE_DOMAINS)}`;
}

const IPV4_FIRST = [36, 39, 42, 58, 59, 60, 61, 101, 106, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 180, 182, 183, 202, 203, 210, 211, 218, 219, 220, 221, 222, 223];

/** Mostly Chinese public ranges, some private ones; never a leading zero. */
export function generateIpv4(rng: Random): string {
  const r = rng.next();
  if (r < 0.1) return `192.168.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  if (r < 0.15) return `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  if (r < 0.2) return `172.${rng.int(16, 31)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  return `${rng.pick(IPV4_FIRST)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

const IPV6_PREFIXES: readonly (readonly number[])[] = [[0x240e], [0x2408], [0x2409], [0x2001, 0x0da8], [0xfe80, 0, 0, 0]];

/** Full (8 groups, sometimes zero-padded) or RFC 5952 compressed (::) IPv6 addresses. */
export function generateIpv6(rng: Random): string {
  const groups = [...rng.pick(IPV6_PREFIXES)];
  while (groups.length < 8) groups.push(rng.int(0, 0xffff));
  const form = rng.next();
  if (form < 0.3) return groups.map((g) => g.toString(16)).join(':');
  if (form < 0.45) return groups.map((g) => g.toString(16).padStart(4, '0')).join(':');
  // Zero a run of at least two groups after the prefix, then compress it.
  if (groups[1] !== 0) {
    const start = rng.int(2, 6);
    const end = rng.int(start + 1, 7);
    for (let i = start; i <= end; i++) groups[i] = 0;
  }
  return compressIpv6(groups);
}

function compressIpv6(groups: readonly number[]): string {
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

const ROADS = ['人民', '解放', '建设', '中山', '和平', '新华', '胜利', '光明', '幸福', '朝阳', '文化', '东风', '青年', '长江', '黄河', '滨江', '科技', '工业', '学府', '迎宾', '春风', '南京', '北京', '团结'];
const ROAD_SUFFIX = ['路', '大道', '街', '大街', '巷'];

/** The city part of an address: empty for the gazetteer's placeholders (市辖区, 县, 省直辖县级行政区划). */
export function cityName(place: Place): string {
  const name = place.city.name;
  return name === '市辖区' || name === '县' || name.includes('直辖') ? '' : name;
}

const COMMUNITIES = ['花园', '小区', '家园', '新村', '公寓', '苑', '名都', '嘉园'];

/**
 * An address in a real district: generateAddress's full form (down to the room), or a short one ending at the house
 * number, sometimes starting from the city. generateAddress writes the gazetteer's 省直辖县级行政区划 into the text,
 * so for those districts the full form is built here.
 */
export function generateAnyAddress(rng: Random, place: Place): string {
  const r = rng.next();
  const city = cityName(place);
  const direct = place.city.name.includes('直辖');
  if (r < 0.6 && !direct) return generateAddress(rng, place);
  const road = `${rng.pick(ROADS)}${rng.pick(ROAD_SUFFIX)}${rng.int(1, 1999)}号`;
  if (r < 0.6) {
    const home = `${rng.pick(ROADS)}${rng.pick(COMMUNITIES)}${rng.int(1, 30)}栋${rng.int(1, 6)}单元${rng.int(1, 33)}0${rng.int(1, 4)}室`;
    return `${place.province.name}${place.district.name}${road}${home}`;
  }
  // Without the province when the city already names it.
  if (r < 0.8 && city !== '') return `${city}${place.district.name}${road}`;
  return `${place.province.name}${city}${place.district.name}${road}`;
}

/** An old 15-digit ID (GB 11643-1989): area, YYMMDD of a 19xx birth, sequence; no check digit. */
export function generateOldId(rng: Random): string {
  const place = randomPlace(rng);
  const b = generateBirth(rng, 1930, 1984);
  return place.district.code + String(b.year).slice(2) + pad2(b.month) + pad2(b.day) + rng.digits(3);
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
