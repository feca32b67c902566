/**
 * A labelled corpus of Chinese customer-service text (ticket notes, chat logs, call summaries) with planted
 * personal information of every type Custos detects and decoys that look like it but are not, for measuring
 * detectors' recall, precision and throughput. Every planted value is valid (check digits, allocated prefixes,
 * real area codes from the gazetteer); every decoy fails the check that tells it apart.
 */
import type { PiiType } from '../catalog/index.js';
import { createRandom, type Random } from './random.js';
import { generateBankCard, generateBirth, generateIdNumber, generateMobile, randomPlace } from './identifiers.js';
import { compactDate, generateAmount, generateBadCheckId, generateBadLuhn, generateClock, generateCompany, generateDatetime, generateOrderNumber, generateServiceNumber, generateTimestampMs, generateTracking, generateUnallocatedMobile, generateVersion, type DecoyKind } from './corpus-decoys.js';
import { formatCard, formatMobile, generateAnyAddress, generateIpv4, generateIpv6, generateLandline, generateMail, generateName, generateOldId, generateOtherCard, generatePassport, generatePermit, generatePlate, generateUscc, type Named } from './corpus-values.js';

export { DECOY_KINDS, type DecoyKind } from './corpus-decoys.js';

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
