/**
 * A labelled corpus of Chinese customer-service text (ticket notes, chat logs, call summaries) with planted
 * personal information of every type Custos detects and decoys that look like it but are not, for measuring
 * detectors' recall, precision and throughput. Every planted value is valid (check digits, allocated prefixes,
 * real area codes from the gazetteer); every decoy fails the check that tells it apart.
 */
import { isLuhnValid, isValidIdCard18, isValidMobile, luhnCheckDigit, type PiiType } from '../catalog/index.js';
import { createRandom, type Random } from './random.js';
import { generateAddress, generateBankCard, generateBirth, generateEmail, generateIdNumber, generateMobile, randomPlace, type Place } from './identifiers.js';

/** The kinds of look-alike text planted as decoys: none of them is personal information. */
export const DECOY_KINDS = [
  'order_number', // 订单号: 20-digit and 17-digit runs (the 17-digit ones fail Luhn)
  'amount', // ¥12,345.67, 1280.00元
  'datetime', // 2023-11-22 10:30:45, 2023年11月22日, [10:30:45]
  'timestamp_ms', // 13-digit epoch milliseconds
  'bad_check_id', // 18 digits laid out like an ID number with a wrong check digit
  'unallocated_mobile', // 11 digits with an unallocated prefix (10x, 11x, 12x, 140–144, 154)
  'bad_luhn_number', // 16–19 digits failing Luhn (transaction references)
  'tracking_number', // SF1234567890123
  'version_string', // 1.2.3.256, 01.2.3.4: not a valid IPv4 address
  'ticket_number', // GD + 14 digits
  'verification_code', // 6-digit SMS code
  'service_number', // 400-820-8820, 95588
  'company_name', // 深圳市华信科技有限公司: a place name that is not an address
] as const;
export type DecoyKind = (typeof DECOY_KINDS)[number];

/** A planted value: `start`/`end` are JavaScript string indices (end exclusive) and `value` is the text there. */
export interface PlantedPii {
  readonly type: PiiType;
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

/** A look-alike that a detector must not report. */
export interface PlantedDecoy {
  readonly kind: DecoyKind;
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

export interface CorpusDocument {
  readonly text: string;
  readonly pii: readonly PlantedPii[];
  readonly decoys: readonly PlantedDecoy[];
}

export interface PiiCorpus {
  readonly documents: readonly CorpusDocument[];
}

export interface PiiCorpusOptions {
  readonly seed: string | number;
  readonly documents: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Values

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

interface Named {
  readonly name: string;
  readonly male: boolean;
}

function generateName(rng: Random, male = rng.chance(0.5)): Named {
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

function pickChar(rng: Random, chars: string): string {
  return chars[rng.int(0, chars.length - 1)]!;
}

/** 13812345678, 138 1234 5678, 138-1234-5678, +86 13812345678, +86-138-1234-5678. */
function formatMobile(rng: Random, m: string): string {
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
function generateOtherCard(rng: Random): string {
  const bin = rng.pick(OTHER_BINS);
  const length = bin.startsWith('62') ? rng.int(16, 19) : 16;
  const payload = bin + rng.digits(length - bin.length - 1);
  return payload + luhnCheckDigit(payload);
}

function formatCard(rng: Random, card: string): string {
  return rng.chance(0.3) ? card.replace(/(\d{4})(?=\d)/g, '$1 ') : card;
}

// Three-digit area codes (010, 02x) take 8-digit local numbers; four-digit ones 7 or 8.
const AREA3 = ['010', '020', '021', '022', '023', '024', '025', '027', '028', '029'];
const AREA4 = ['0755', '0571', '0512', '0531', '0532', '0551', '0591', '0731', '0771', '0871', '0851', '0898', '0311', '0351', '0371', '0431', '0451', '0471', '0791', '0931', '0951', '0971', '0991', '0769', '0757', '0754', '0574', '0577', '0516', '0592'];

/** 010-12345678, 0755-1234567, (020)12345678. */
function generateLandline(rng: Random): string {
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
function generateUscc(rng: Random, place: Place): string {
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
function generatePassport(rng: Random): string {
  return rng.chance(0.5) ? `E${rng.digits(8)}` : `E${pickChar(rng, PLATE_LETTERS)}${rng.digits(7)}`;
}

/** 回乡证: H (Hong Kong) or M (Macau) + 8-digit lifetime number, sometimes + 2-digit renewal count. */
function generatePermit(rng: Random): string {
  const base = (rng.chance(0.75) ? 'H' : 'M') + String(rng.int(1, 9)) + rng.digits(7);
  return rng.chance(0.4) ? base + '0' + String(rng.int(0, 6)) : base;
}

/** Ordinary plates (粤B12345, 京AF0236) and new-energy plates (粤BD12345, 沪A12345F). */
function generatePlate(rng: Random, newEnergy = rng.chance(0.3)): string {
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

function generateMail(rng: Random): string {
  if (rng.chance(0.6)) return generateEmail(rng);
  const sep = rng.pick(['', '.', '_']);
  const suffix = rng.chance(0.6) ? sep + String(rng.int(1, 2005)) : '';
  return `${rng.pick(HANDLES)}${suffix}@${rng.pick(MORE_DOMAINS)}`;
}

const IPV4_FIRST = [36, 39, 42, 58, 59, 60, 61, 101, 106, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 180, 182, 183, 202, 203, 210, 211, 218, 219, 220, 221, 222, 223];

/** Mostly Chinese public ranges, some private ones; never a leading zero. */
function generateIpv4(rng: Random): string {
  const r = rng.next();
  if (r < 0.1) return `192.168.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  if (r < 0.15) return `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  if (r < 0.2) return `172.${rng.int(16, 31)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  return `${rng.pick(IPV4_FIRST)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

const IPV6_PREFIXES: readonly (readonly number[])[] = [[0x240e], [0x2408], [0x2409], [0x2001, 0x0da8], [0xfe80, 0, 0, 0]];

/** Full (8 groups, sometimes zero-padded) or RFC 5952 compressed (::) IPv6 addresses. */
function generateIpv6(rng: Random): string {
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
function cityName(place: Place): string {
  const name = place.city.name;
  return name === '市辖区' || name === '县' || name.includes('直辖') ? '' : name;
}

const COMMUNITIES = ['花园', '小区', '家园', '新村', '公寓', '苑', '名都', '嘉园'];

/**
 * An address in a real district: generateAddress's full form (down to the room), or a short one ending at the house
 * number, sometimes starting from the city. generateAddress writes the gazetteer's 省直辖县级行政区划 into the text,
 * so for those districts the full form is built here.
 */
function generateAnyAddress(rng: Random, place: Place): string {
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
function generateOldId(rng: Random): string {
  const place = randomPlace(rng);
  const b = generateBirth(rng, 1930, 1984);
  return place.district.code + String(b.year).slice(2) + pad2(b.month) + pad2(b.day) + rng.digits(3);
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

// ---------------------------------------------------------------------------------------------------------------
// Decoys

function randomDate(rng: Random): { y: number; m: number; d: number; hh: number; mm: number; ss: number } {
  const y = rng.int(2021, 2024), m = rng.int(1, 12);
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { y, m, d: rng.int(1, days), hh: rng.int(0, 23), mm: rng.int(0, 59), ss: rng.int(0, 59) };
}

function compactDate(rng: Random): string {
  const t = randomDate(rng);
  return `${t.y}${pad2(t.m)}${pad2(t.d)}`;
}

function generateDatetime(rng: Random): string {
  const t = randomDate(rng);
  const r = rng.next();
  if (r < 0.5) return `${t.y}-${pad2(t.m)}-${pad2(t.d)} ${pad2(t.hh)}:${pad2(t.mm)}:${pad2(t.ss)}`;
  if (r < 0.7) return `${t.y}/${pad2(t.m)}/${pad2(t.d)} ${pad2(t.hh)}:${pad2(t.mm)}`;
  if (r < 0.85) return `${t.y}年${t.m}月${t.d}日 ${pad2(t.hh)}:${pad2(t.mm)}`;
  return `${t.y}年${t.m}月${t.d}日`;
}

function generateClock(rng: Random): string {
  return `${pad2(rng.int(8, 22))}:${pad2(rng.int(0, 59))}:${pad2(rng.int(0, 59))}`;
}

/** 20 digits (date, time, serial) or 17 digits failing Luhn (so that it cannot pass for a card). */
function generateOrderNumber(rng: Random): string {
  const t = randomDate(rng);
  if (rng.chance(0.5)) return `${t.y}${pad2(t.m)}${pad2(t.d)}${pad2(t.hh)}${pad2(t.mm)}${pad2(t.ss)}${rng.digits(6)}`;
  const s = `${t.y}${pad2(t.m)}${pad2(t.d)}${rng.digits(9)}`;
  return isLuhnValid(s) ? breakLuhn(s) : s;
}

function breakLuhn(s: string): string {
  const last = (Number(s[s.length - 1]) + 1) % 10;
  return s.slice(0, -1) + String(last);
}

function generateAmount(rng: Random): string {
  const yuan = rng.chance(0.6) ? rng.int(1, 9999) : rng.int(10000, 999999);
  const fen = pad2(rng.int(0, 99));
  const grouped = yuan.toLocaleString('en-US');
  const r = rng.next();
  if (r < 0.35) return `¥${grouped}.${fen}`;
  if (r < 0.55) return `${yuan}.${fen}元`;
  if (r < 0.7) return `人民币${grouped}.00元`;
  if (r < 0.85) return `${yuan}元`;
  return `￥${yuan}`;
}

function generateTimestampMs(rng: Random): string {
  return String(rng.int(1_600_000_000, 1_735_000_000)) + rng.digits(3);
}

/** An 18-digit number laid out like an ID (real area, real date) whose check digit is wrong. */
function generateBadCheckId(rng: Random): string {
  const good = generateIdNumber(rng, randomPlace(rng), generateBirth(rng, 1950, 2005));
  const others = '0123456789X'.replace(good[17]!, '');
  return good.slice(0, 17) + pickChar(rng, others);
}

const UNALLOCATED_PREFIXES = ['100', '101', '102', '105', '106', '108', '110', '112', '116', '118', '120', '121', '123', '125', '127', '129', '140', '141', '142', '143', '144', '154'];

function generateUnallocatedMobile(rng: Random): string {
  const s = rng.pick(UNALLOCATED_PREFIXES) + rng.digits(8);
  if (isValidMobile(s)) throw new Error('unallocated prefix list contains an allocated prefix');
  return s;
}

/** 16–19 digits failing Luhn, never an ID number's layout with a right check digit. */
function generateBadLuhn(rng: Random): string {
  const length = rng.int(16, 19);
  for (;;) {
    const head = rng.chance(0.4) ? '62' : String(rng.int(1, 9));
    let s = head + rng.digits(length - head.length);
    if (isLuhnValid(s)) s = breakLuhn(s);
    if (!isValidIdCard18(s)) return s;
  }
}

function generateTracking(rng: Random): string {
  return rng.pick(['SF', 'SF', 'YT', 'JT', 'JD']) + String(rng.int(1, 9)) + rng.digits(12);
}

/** Four dotted numbers that are not an IPv4 address: a part above 255 or with a leading zero. */
function generateVersion(rng: Random): string {
  const r = rng.next();
  if (r < 0.4) return `${rng.int(1, 12)}.${rng.int(0, 9)}.${rng.int(0, 99)}.${rng.int(256, 9999)}`;
  if (r < 0.7) return `0${rng.int(1, 9)}.${rng.int(0, 9)}.${rng.int(0, 20)}.${rng.int(0, 255)}`;
  if (r < 0.85) return `10.0.${rng.int(17763, 22631)}.${rng.int(1, 3999)}`;
  return `${rng.int(1, 9)}.${rng.int(0, 9)}.${rng.int(0, 9)}.0${rng.int(1, 9)}`;
}

const SERVICE_NUMBERS = ['95588', '95533', '95555', '95566', '95599', '95559', '10086', '10010', '10000'];

function generateServiceNumber(rng: Random): string {
  if (rng.chance(0.4)) return rng.pick(SERVICE_NUMBERS);
  const n = `${rng.pick(['400', '800'])}${rng.int(1, 9)}${rng.digits(6)}`;
  return rng.chance(0.6) ? `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}` : n;
}

const BRANDS = ['华信', '中科', '瑞达', '鼎盛', '恒通', '宏远', '金桥', '天成', '嘉禾', '盛世', '云帆', '博雅', '新锐', '安泰', '德润'];
const INDUSTRIES = ['科技', '贸易', '网络科技', '电子商务', '物流', '餐饮管理', '信息技术', '建筑工程', '文化传媒', '医疗器械'];

function generateCompany(rng: Random): string {
  const place = randomPlace(rng);
  const where = cityName(place) || place.province.name;
  return `${where}${rng.pick(BRANDS)}${rng.pick(INDUSTRIES)}有限公司`;
}

// ---------------------------------------------------------------------------------------------------------------
// Templates

/** The customer a document is about: the same values recur through the document, as in real tickets. */
interface Person extends Named {
  readonly mobile: string;
  readonly id: string;
  readonly card: string;
  readonly address: string;
  readonly email: string;
  readonly plate: string;
}

interface DocContext {
  readonly rng: Random;
  readonly person: Person;
}

type Piece = string | { readonly pii: PiiType; readonly value: string } | { readonly decoy: DecoyKind; readonly value: string };

const pii = (type: PiiType, value: string): Piece => ({ pii: type, value });
const decoy = (kind: DecoyKind, value: string): Piece => ({ decoy: kind, value });

const BANKS = ['工商银行', '建设银行', '农业银行', '中国银行', '招商银行', '交通银行', '浦发银行', '民生银行', '兴业银行', '邮储银行'];
const CHANNELS = ['App', '微信小程序', '官网', '线下门店', '电话渠道'];
const CAR_PARKS = ['万达广场', '园区', '小区', '机场', '高铁站'];

const SLOTS = {
  // planted
  name: (c: DocContext) => pii('cn_name', c.person.name),
  name2: (c: DocContext) => pii('cn_name', generateName(c.rng).name),
  wife: (c: DocContext) => pii('cn_name', generateName(c.rng, false).name),
  mobile: (c: DocContext) => pii('cn_mobile', formatMobile(c.rng, c.person.mobile)),
  mobile2: (c: DocContext) => pii('cn_mobile', formatMobile(c.rng, generateMobile(c.rng))),
  id: (c: DocContext) => pii('cn_id_card', c.person.id),
  id15: (c: DocContext) => pii('cn_id_card', generateOldId(c.rng)),
  card: (c: DocContext) => pii('bank_card', formatCard(c.rng, c.person.card)),
  card2: (c: DocContext) => pii('bank_card', formatCard(c.rng, generateOtherCard(c.rng))),
  landline: (c: DocContext) => pii('cn_landline', generateLandline(c.rng)),
  uscc: (c: DocContext) => pii('cn_uscc', generateUscc(c.rng, randomPlace(c.rng))),
  passport: (c: DocContext) => pii('cn_passport', generatePassport(c.rng)),
  permit: (c: DocContext) => pii('hk_macau_permit', generatePermit(c.rng)),
  plate: (c: DocContext) => pii('cn_plate', c.person.plate),
  evplate: (c: DocContext) => pii('cn_plate', generatePlate(c.rng, true)),
  email: (c: DocContext) => pii('email', c.person.email),
  email2: (c: DocContext) => pii('email', generateMail(c.rng)),
  ipv4: (c: DocContext) => pii('ipv4', generateIpv4(c.rng)),
  ipv6: (c: DocContext) => pii('ipv6', generateIpv6(c.rng)),
  address: (c: DocContext) => pii('cn_address', c.person.address),
  address2: (c: DocContext) => pii('cn_address', generateAnyAddress(c.rng, randomPlace(c.rng))),
  // decoys
  order: (c: DocContext) => decoy('order_number', generateOrderNumber(c.rng)),
  amount: (c: DocContext) => decoy('amount', generateAmount(c.rng)),
  datetime: (c: DocContext) => decoy('datetime', generateDatetime(c.rng)),
  clock: (c: DocContext) => decoy('datetime', generateClock(c.rng)),
  tsms: (c: DocContext) => decoy('timestamp_ms', generateTimestampMs(c.rng)),
  badid: (c: DocContext) => decoy('bad_check_id', generateBadCheckId(c.rng)),
  badmobile: (c: DocContext) => decoy('unallocated_mobile', generateUnallocatedMobile(c.rng)),
  badcard: (c: DocContext) => decoy('bad_luhn_number', generateBadLuhn(c.rng)),
  tracking: (c: DocContext) => decoy('tracking_number', generateTracking(c.rng)),
  version: (c: DocContext) => decoy('version_string', generateVersion(c.rng)),
  ticket: (c: DocContext) => decoy('ticket_number', `GD${compactDate(c.rng)}${c.rng.digits(6)}`),
  code: (c: DocContext) => decoy('verification_code', c.rng.digits(6)),
  hotline: (c: DocContext) => decoy('service_number', generateServiceNumber(c.rng)),
  company: (c: DocContext) => decoy('company_name', generateCompany(c.rng)),
  // plain filler
  hon: (c: DocContext) => (c.person.male ? '先生' : '女士'),
  tail4: (c: DocContext) => c.person.card.slice(-4),
  mtail4: (c: DocContext) => c.person.mobile.slice(-4),
  bank: (c: DocContext) => c.rng.pick(BANKS),
  channel: (c: DocContext) => c.rng.pick(CHANNELS),
  park: (c: DocContext) => c.rng.pick(CAR_PARKS),
  agent: (c: DocContext) => String(c.rng.int(1001, 9899)),
  minutes: (c: DocContext) => String(c.rng.int(1, 25)),
  seconds: (c: DocContext) => String(c.rng.int(0, 59)),
  days: (c: DocContext) => String(c.rng.int(2, 15)),
} satisfies Record<string, (c: DocContext) => Piece>;

type Slot = keyof typeof SLOTS;

/** Sentences of ticket notes and call summaries. */
const NOTE_TEMPLATES = [
  '客户{name}来电反映其尾号{tail4}的银行卡被盗刷，联系电话{mobile}，身份证号{id}。',
  '收货地址：{address}，收件人{name2} {mobile2}。',
  '车牌{plate}于{datetime}驶入{park}停车场，车主{name}{hon}称未收到缴费短信。',
  '系统日志显示该账号于{datetime}从IP {ipv4}登录，随后修改了绑定邮箱。',
  '客户要求将发票发送至邮箱 {email}，订单号{order}。',
  '企业客户{company}，统一社会信用代码{uscc}，经办人{name}，座机{landline}。',
  '{name}{hon}出示护照号码{passport}办理境外卡挂失。',
  '客户为香港居民，回乡证{permit}，联系人{name}，手机{mobile}。',
  '座机{landline}多次来电催收，客户{name}表示不认识对方。',
  '客户{name}申请变更绑定手机号为{mobile2}，原号码{mobile}已停用。',
  '经核实，{name}名下银行卡{card}于{datetime}发生一笔{amount}的境外消费。',
  '客户提供的身份证号{badid}校验位不符，已请其重新核对。',
  '客户填写的手机号{badmobile}号段不存在，已提醒其更正。',
  '交易流水号{badcard}，退款金额{amount}，预计{days}个工作日到账。',
  '快递单号{tracking}显示已签收，但客户{name}称未收到包裹。',
  '客户端版本{version}存在闪退问题，已转技术部处理。',
  '客户{name}持一代身份证前来更新资料，身份证号码{id15}，已提示其换领二代证。',
  '登录异常：设备IPv6地址{ipv6}，时间戳{tsms}，已触发二次验证。',
  '短信验证码{code}已发送至{mobile}，请客户在5分钟内输入。',
  '客户{name}反映在{bank}的信用卡{card2}被冻结，已告知其拨打{hotline}咨询。',
  '配送信息：收件人{name}，电话{mobile}，地址{address}。',
  '客户{name}（身份证{id}）申请开通网银，预留手机{mobile}，邮箱{email}。',
  '联系人{name2}，座机{landline}，邮寄地址{address2}。',
  '{name}{hon}来电咨询订单{order}的物流进度，快递单号{tracking}。',
  '客户称其车辆{plate}的违章记录有误，车主{name}，身份证号{id}。',
  '访问日志：{ipv4} - 用户{email2} 于{datetime}下载了电子账单。',
  '风控提示：同一设备在{ipv6}与{ipv4}之间频繁切换，账户持有人{name}。',
  '客户{name}的护照{passport}将于明年到期，已提醒其更新证件信息。',
  '澳门客户{name}，港澳居民来往内地通行证号码{permit}，已完成实名认证。',
  '营业执照统一社会信用代码：{uscc}，注册地址{address2}。',
  '客户{name}于{datetime}在{channel}下单，支付{amount}，订单号{order}。',
  '新能源车{evplate}充电账单异常，车主联系电话{mobile}。',
  '投诉人{name}要求删除平台留存的身份证号{id}和银行卡号{card}。',
  '客户咨询积分兑换，会员号{badmobile}，本次消费{amount}。',
  '客户{name}反映尾号{mtail4}的手机号码被他人冒用注册，完整号码{mobile}。',
  '工单已转交二线，处理人工号{agent}，预计{datetime}前回复。',
  '对账单显示{datetime}有一笔{amount}扣款，交易参考号{badcard}，客户{name}不认可。',
  '客户要求将退款打入本人银行卡{card}，开户人{name}，开户行{bank}。',
  '请将合同原件寄至{address}，收件人{name}{hon}，联系电话{landline}。',
  '回访记录：已致电{mobile}，客户{name}对处理结果表示满意。',
  '家属{name2}代为来电，称客户{name}已出国，护照号{passport}。',
  '客户登录网关IP {ipv4}，App版本{version}，设备时间戳{tsms}。',
  '客户通过邮箱{email}提交了身份证正反面照片，证件号{id}。',
  '商户{company}（统一社会信用代码{uscc}）的对公账户联系人为{name2}，手机{mobile2}。',
  '客户{name}称接到冒充客服的电话{mobile2}，对方索要验证码{code}，已提醒其防范诈骗。',
  '系统检测到IPv6地址{ipv6}于{datetime}连续5次登录失败。',
  '客户{name}申请补寄发票，新地址为{address}，请核对后寄出。',
  '客户{name}提供的身份证号{badid}无法通过校验，另提供护照{passport}作为替代。',
  '客户{name}名下有两张卡：{card}与{card2}，均已临时冻结。',
  '外地牌照{plate}被误识别，车主{name2}联系电话{landline}。',
  '客户{name}从香港寄回材料，回乡证号码{permit}，邮寄地址{address2}。',
] as const;

/** Lines of online chat, spoken by the customer (客户) or the agent (客服). */
const CHAT_TEMPLATES: readonly (readonly ['客户' | '客服', string])[] = [
  ['客户', '你好，我是{name}，手机号{mobile}，我的卡被锁了。'],
  ['客户', '我的身份证号是{id}，你们查一下。'],
  ['客户', '卡号{card}，麻烦帮我看下是不是被冻结了。'],
  ['客户', '地址改成{address}吧，谢谢。'],
  ['客户', '我邮箱是{email}，把电子发票发过来。'],
  ['客户', '订单号{order}，都一个礼拜了还没发货！'],
  ['客服', '您好，请问是{name}{hon}本人吗？'],
  ['客服', '已为您登记，工单号{ticket}，请保持电话{mobile}畅通。'],
  ['客户', '我车牌{plate}，昨天停车被扣了{amount}。'],
  ['客户', '我用的是护照，号码{passport}。'],
  ['客户', '我是香港人，回乡证号{permit}可以吗？'],
  ['客户', '公司座机是{landline}，找我就行。'],
  ['客户', '快递单号{tracking}，你们查下到哪了。'],
  ['客服', '核实到您在{datetime}有一笔{amount}的支付。'],
  ['客户', '登录时提示IP {ipv4}异常，我人一直在家啊。'],
  ['客服', '验证码{code}已发送，请勿泄露给他人。'],
  ['客户', '帮我寄到{address2}，收件人写{name2}。'],
  ['客户', '我爱人{wife}的手机是{mobile2}，也可以联系她。'],
  ['客服', '如需进一步帮助请拨打{hotline}。'],
  ['客户', '我们公司统一社会信用代码是{uscc}，要开专票。'],
  ['客服', '系统显示您的设备地址是{ipv6}，请确认是否本人操作。'],
  ['客户', '我这张{bank}的卡{card2}也绑一下。'],
];

const HEADERS = [
  '工单编号：{ticket}　创建时间：{datetime}\n问题描述：',
  '【通话小结】{datetime}，通话时长{minutes}分{seconds}秒，来电号码{mobile}。\n',
  '【投诉工单】{ticket}\n',
  '客服备注（工号{agent}）：',
] as const;

const CHAT_HEADER = '在线客服会话记录　会话编号：{ticket}\n';
const CHAT_LINE = '[{clock}] ';

/** A template split on its slots: even indices are literal text, odd indices slot names. */
type Compiled = readonly string[];

let compiled: { notes: readonly Compiled[]; chat: readonly (readonly [string, Compiled])[]; headers: readonly Compiled[]; chatHeader: Compiled; chatLine: Compiled } | undefined;

function compile(template: string): Compiled {
  const parts = template.split(/\{(\w+)\}/);
  for (let i = 1; i < parts.length; i += 2) {
    if (!(parts[i]! in SLOTS)) throw new Error(`pii-corpus template uses an unknown slot: ${parts[i]}`);
  }
  return parts;
}

function templates(): NonNullable<typeof compiled> {
  compiled ??= {
    notes: NOTE_TEMPLATES.map(compile),
    chat: CHAT_TEMPLATES.map(([who, t]) => [who, compile(t)] as const),
    headers: HEADERS.map(compile),
    chatHeader: compile(CHAT_HEADER),
    chatLine: compile(CHAT_LINE),
  };
  return compiled;
}

/** Number of sentence and chat templates (for the report and the tests). */
export const CORPUS_TEMPLATE_COUNT = { notes: NOTE_TEMPLATES.length, chat: CHAT_TEMPLATES.length } as const;

class DocBuilder {
  text = '';
  readonly pii: PlantedPii[] = [];
  readonly decoys: PlantedDecoy[] = [];

  constructor(private readonly ctx: DocContext) {}

  add(template: Compiled): void {
    for (let i = 0; i < template.length; i++) {
      if (i % 2 === 0) {
        this.text += template[i]!;
        continue;
      }
      const piece = SLOTS[template[i] as Slot](this.ctx);
      const start = this.text.length;
      if (typeof piece === 'string') this.text += piece;
      else {
        this.text += piece.value;
        const end = this.text.length;
        if ('pii' in piece) this.pii.push({ type: piece.pii, start, end, value: piece.value });
        else this.decoys.push({ kind: piece.decoy, start, end, value: piece.value });
      }
    }
  }

  lit(s: string): void {
    this.text += s;
  }
}

function generatePerson(rng: Random): Person {
  const named = generateName(rng);
  const place = randomPlace(rng);
  return {
    ...named,
    mobile: generateMobile(rng),
    id: generateIdNumber(rng, place, generateBirth(rng, 1950, 2005)),
    card: rng.chance(0.75) ? generateBankCard(rng) : generateOtherCard(rng),
    // Half the customers live where their ID was issued.
    address: generateAnyAddress(rng, rng.chance(0.5) ? place : randomPlace(rng)),
    email: generateMail(rng),
    plate: generatePlate(rng),
  };
}

/** Picks items at random without repeating one (lists are much longer than a document). */
function picker<T>(rng: Random, items: readonly T[]): () => T {
  const used = new Set<number>();
  return () => {
    let i = rng.int(0, items.length - 1);
    while (used.has(i)) i = (i + 1) % items.length;
    used.add(i);
    return items[i]!;
  };
}

function generateDocument(rng: Random): CorpusDocument {
  const t = templates();
  const b = new DocBuilder({ rng, person: generatePerson(rng) });
  if (rng.chance(0.3)) {
    b.add(t.chatHeader);
    const lines = rng.int(4, 9);
    const pick = picker(rng, t.chat);
    for (let i = 0; i < lines; i++) {
      const [who, line] = pick();
      b.add(t.chatLine);
      b.lit(`${who}：`);
      b.add(line);
      if (i < lines - 1) b.lit('\n');
    }
  } else {
    b.add(rng.pick(t.headers));
    const sentences = rng.int(3, 7);
    const pick = picker(rng, t.notes);
    for (let i = 0; i < sentences; i++) b.add(pick());
  }
  return { text: b.text, pii: b.pii, decoys: b.decoys };
}

/**
 * A labelled corpus of Chinese customer-service documents with planted PII of all 13 types and look-alike decoys.
 * The same seed gives the same corpus.
 * @example
 * const { documents } = generatePiiCorpus({ seed: 'bench', documents: 2000 });
 * documents[0].pii[0] // { type: 'cn_name', start: 12, end: 14, value: '张伟' }
 */
export function generatePiiCorpus(options: PiiCorpusOptions): PiiCorpus {
  if (!Number.isInteger(options.documents) || options.documents < 0) {
    throw new RangeError('generatePiiCorpus: documents must be a non-negative integer');
  }
  const rng = createRandom(`pii-corpus:${options.seed}`);
  const documents: CorpusDocument[] = [];
  for (let i = 0; i < options.documents; i++) documents.push(generateDocument(rng));
  return { documents };
}

const MIXED_POOL = 2000;

/**
 * At least `bytes` bytes of UTF-8 text for throughput benchmarks: a pool of 2,000 corpus documents, shuffled
 * and repeated, joined by newlines.
 * @example generateMixedText('bench', 50_000_000).length // ≈ 20 million characters
 */
export function generateMixedText(seed: string | number, bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError('generateMixedText: bytes must be a non-negative number');
  if (bytes === 0) return '';
  const pool = generatePiiCorpus({ seed, documents: MIXED_POOL }).documents.map((d) => d.text);
  const sizes = pool.map((text) => Buffer.byteLength(text, 'utf8'));
  const rng = createRandom(`pii-corpus-mix:${seed}`);
  const order = pool.map((_, i) => i);
  const parts: string[] = [];
  let total = -1; // no newline before the first document
  while (total < bytes) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const i of order) {
      parts.push(pool[i]!);
      total += sizes[i]! + 1;
      if (total >= bytes) break;
    }
  }
  return parts.join('\n');
}
