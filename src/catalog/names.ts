/**
 * Chinese personal names in free text (CN-PII.md §4.8). A surname alone says little and a surname list matches
 * half of all Chinese text, so a name is found only next to a cue: a word that introduces a person before it
 * (客户, 联系人, 收件人, 姓名：…) or an address form after it (先生, 女士, …).
 */
import type { Finding } from './pii-types.js';

/** Common single-character surnames (the top ~300 of the MPS statistics cover over 90% of people). */
const SINGLE =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉亢嵇哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由萧阎'
const COMPOUND = ['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '宇文', '长孙', '夏侯', '轩辕', '端木', '南宫', '独孤', '司徒', '申屠', '西门', '百里', '呼延', '万俟', '澹台', '太史', '闻人', '赫连', '第五'];

/** Two code units as one small integer (c0 << 16 | c1): a key for pairs of characters. */
export const pairKey = (c0: number, c1: number): number => (c0 << 16) | c1;
const pairOf = (w: string): number => pairKey(w.charCodeAt(0), w.charCodeAt(1));

/** Per code unit: 1 for a set's characters (one typed-array read instead of a string set lookup). */
function charTable(chars: Iterable<string>): Uint8Array {
  const t = new Uint8Array(65536);
  for (const ch of chars) t[ch.charCodeAt(0)] = 1;
  return t;
}

const SURNAMES = charTable(SINGLE);
const COMPOUNDS: ReadonlySet<number> = new Set(COMPOUND.map(pairOf));

/** Words that introduce a person right before the name (longest first), with the confidence they give. */
const PREFIX_CUES: readonly (readonly [string, number])[] = (
  [
    ['姓名', 0.95], ['客户', 0.9], ['用户', 0.85], ['联系人', 0.95], ['收件人', 0.95], ['收货人', 0.95], ['寄件人', 0.95], ['持卡人', 0.95],
    ['户主', 0.9], ['申请人', 0.9], ['投诉人', 0.9], ['来电人', 0.9], ['借款人', 0.9], ['担保人', 0.9], ['经办人', 0.85], ['法定代表人', 0.9],
    ['业主', 0.85], ['乘客', 0.85], ['患者', 0.85], ['我叫', 0.9], ['名叫', 0.9], ['本人', 0.8], ['坐席', 0.8], ['员工', 0.8], ['开户人', 0.95],
    ['账户名', 0.95], ['户名', 0.95], ['被保险人', 0.9], ['投保人', 0.9], ['受益人', 0.9], ['我爱人', 0.85], ['我是', 0.75], ['车主', 0.85],
    ['持有人', 0.9], ['联系人为', 0.95], ['收件人写', 0.9], ['家属', 0.8], ['配偶', 0.85], ['母亲', 0.8], ['父亲', 0.8],
  ] as const
).slice().sort((a, b) => b[0].length - a[0].length);

/** Address forms right after a name. */
const SUFFIX_CUES: readonly string[] = ['先生', '女士', '小姐', '同志', '老师', '经理', '师傅', '阿姨', '大爷', '名下'];

/** Two-character words that often follow a name: a given name stops before them. */
const FOLLOW_WORDS: readonly string[] = [
  '来电', '反映', '表示', '手机', '电话', '身份', '证件', '住址', '地址', '邮箱', '投诉', '办理', '咨询', '要求', '希望', '需要', '说明', '称其', '本人',
  '已经', '今天', '昨天', '于是', '目前', '名下', '账户', '银行', '卡号', '登录', '申请', '联系', '先生', '女士', '小姐', '同志', '老师', '经理', '师傅',
  '阿姨', '大爷', '反馈', '致电', '在线', '留言', '的', '未能', '无法', '确认', '提供', '核实', '称', '因', '对', '于', '在',
];
const FOLLOW_PAIRS: ReadonlySet<number> = new Set(FOLLOW_WORDS.filter((w) => w.length === 2).map(pairOf));
const FOLLOW_CHARS = charTable(FOLLOW_WORDS.filter((w) => w.length === 1));
/** Single characters that never continue a given name here (function words and verbs). */
const STOP_CHARS = charTable('的了是在和与及或说称要想已于对把被给向从到也都就还又再很但而并将会能可没不未有之其该此等请问您你我他她它们个次位名号持代联手电身，。、；：！？');
/** Place-name endings: a "name" that runs into one is a place (企业客户呼伦贝尔市…). */
const PLACE_ENDS = charTable('市省区县州盟旗镇乡村');

/** Surnames that are more often a preposition or function word just before a name (向, 于, 和, …). */
const FUNCTION_SURNAMES = charTable('向于和与为以由同跟让令将但时来也都就还又再之其');

const isHan = (c: number): boolean => c >= 0x4e00 && c <= 0x9fff;

/** The surname at `i` (2 characters for a compound surname), or 0. */
function surnameAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (COMPOUNDS.has(pairKey(c, text.charCodeAt(i + 1)))) return 2;
  return SURNAMES[c] === 1 ? 1 : 0;
}

/** Given-name length (1 or 2) after a surname ending at `at`, stopping before cue and follow words. */
function givenLength(text: string, at: number): number {
  let n = 0;
  while (n < 2) {
    const c = text.charCodeAt(at + n);
    if (!isHan(c) || STOP_CHARS[c] === 1) break;
    const two = FOLLOW_PAIRS.has(pairKey(c, text.charCodeAt(at + n + 1)));
    if (n > 0 && (two || FOLLOW_CHARS[c] === 1)) break;
    if (n === 0 && two) {
      // The first given character would open a following word: a bare surname (张先生), not a full name.
      break;
    }
    n++;
  }
  return n;
}

/** Cues by their first two characters (pairKey): one map read per cue character of text. */
const PREFIX_BY_PAIR = new Map<number, (readonly [string, number])[]>();
for (const c of PREFIX_CUES) {
  const list = PREFIX_BY_PAIR.get(pairOf(c[0])) ?? [];
  list.push(c);
  PREFIX_BY_PAIR.set(pairOf(c[0]), list);
}
const SUFFIX_PAIRS: ReadonlySet<number> = new Set(SUFFIX_CUES.map(pairOf));
/** Per code unit: 1 = a cue can start here. A cheap first filter before the pair lookup; all are Han characters. */
export const NAME_CUE_START = charTable([...PREFIX_CUES.map((c) => c[0]), ...SUFFIX_CUES]);

/**
 * Finds cue-marked names one cue position at a time, so that the text scanner can drive it from its own pass over
 * the text; {@link findNames} drives it alone.
 */
export class NameFinder {
  /** Positions before this one lie in a name just found (or its cue) and are not looked at. */
  next = 0;
  private lastEnd = -1;

  constructor(
    private readonly text: string,
    private readonly out: Finding[],
  ) {}

  /** Looks for a name around position `i`, where a cue can start (NAME_CUE_START). */
  at(i: number): void {
    const text = this.text;
    const key = pairKey(text.charCodeAt(i), text.charCodeAt(i + 1));
    const prefixes = PREFIX_BY_PAIR.get(key);
    if (prefixes !== undefined) {
      for (const [word, confidence] of prefixes) {
        if (!text.startsWith(word, i)) continue;
        let at = i + word.length;
        const sep = text.charCodeAt(at);
        if (sep === 0xff1a || sep === 58 || sep === 32) at++; // '：', ':', ' '
        const s = surnameAt(text, at);
        if (s === 0) break;
        const g = givenLength(text, at + s);
        // A "name" running into a place ending (the given name or the two characters after it) is a place.
        let place = false;
        for (let k = at + s, last = Math.min(at + s + g + 2, text.length); k < last; k++) if (PLACE_ENDS[text.charCodeAt(k)] === 1) place = true;
        if (g > 0 && at > this.lastEnd && !place) {
          this.out.push({ type: 'cn_name', start: at, end: at + s + g, confidence });
          this.lastEnd = at + s + g;
          this.next = this.lastEnd;
          return;
        }
        break;
      }
    }
    if (SUFFIX_PAIRS.has(key)) {
      // Look back for surname + 1–2 given characters ending here, longest first.
      for (const len of [4, 3, 2]) {
        const start = i - len;
        if (start <= this.lastEnd - 1 || start < 0) continue;
        const s = surnameAt(text, start);
        if (s === 0 || len - s < 1 || len - s > 2 || (s === 1 && len > 2 && FUNCTION_SURNAMES[text.charCodeAt(start)] === 1)) continue;
        let ok = true;
        for (let k = start; k < i; k++) {
          const c = text.charCodeAt(k);
          if (!isHan(c) || STOP_CHARS[c] === 1) ok = false;
        }
        if (!ok) continue;
        this.out.push({ type: 'cn_name', start, end: i, confidence: 0.8 });
        this.lastEnd = i;
        break;
      }
    }
  }
}

/** Finds cue-marked names in `text`, appending to `out`. */
export function findNames(text: string, out: Finding[]): void {
  const finder = new NameFinder(text, out);
  for (let i = 0; i < text.length; i++) if (NAME_CUE_START[text.charCodeAt(i)] === 1 && i >= finder.next) finder.at(i);
}

/** A cell that is a name and nothing else: a known surname and one or two more Han characters (no cue needed). */
export function isBareName(value: string): boolean {
  const v = value.trim();
  const s = surnameAt(v, 0);
  if (s === 0) return false;
  const given = v.length - s;
  if (given < 1 || given > 2) return false;
  for (let i = s; i < v.length; i++) if (!isHan(v.charCodeAt(i)) || STOP_CHARS[v.charCodeAt(i)] === 1) return false;
  return true;
}
