/**
 * Incident notices (PIPL Art. 57): drafts to the regulator and to each affected person, in zh-CN and en, with
 * what information, the cause, the possible harm, the measures taken, what the person can do and how to reach
 * the company; checked for completeness and rendered as HTML. Drafts name no person: the same text goes to
 * each person on the list of people to notify.
 */
import type { LegalCategory } from '../catalog/index.js';
import { GRADE_NAMES, type IncidentGrade, type NoticeSection } from './law.js';
import type { SeverityLevel } from './severity.js';

export const NOTICE_AUDIENCES = ['regulator', 'individual'] as const;
export type NoticeAudience = (typeof NOTICE_AUDIENCES)[number];
export const NOTICE_LANGS = ['zh-CN', 'en'] as const;
export type NoticeLang = (typeof NOTICE_LANGS)[number];
/** The parts of a notice: a title, an opening summary, then the Art. 57 sections. */
export const NOTICE_PARTS = ['title', 'summary', 'information', 'cause', 'harm', 'measures', 'advice', 'contact'] as const satisfies readonly (NoticeSection | 'title' | 'summary')[];
export type NoticePart = (typeof NOTICE_PARTS)[number];
export type NoticeText = Readonly<Record<NoticePart, string>>;
export const NOTICE_LIMITS: Readonly<Record<NoticePart, number>> = { title: 200, summary: 4000, information: 4000, cause: 4000, harm: 4000, measures: 4000, advice: 4000, contact: 1000 };

/** What a draft is written from (ids, counts and labels; never a person's data). */
export interface NoticeFacts {
  readonly caseId: string;
  readonly discoveredAt: string;
  readonly people: number;
  /** The kinds of information seen unmasked or named in the complaint, by column, type and category. */
  readonly information: readonly { readonly column: string; readonly type: string | null; readonly category: LegalCategory }[];
  readonly sensitive: boolean;
  readonly minors: number;
  readonly cause: string | null;
  /** Containment done from the case, and the measures the findings state (free text, as written). */
  readonly containment: readonly ('suspend' | 'revoke_grants')[];
  readonly measures: string | null;
  readonly severity: SeverityLevel;
  readonly grade: IncidentGrade;
  readonly deadline: string | null;
  readonly reportTo: { readonly zh: string; readonly en: string } | null;
  readonly company: string | null;
  readonly contact: string | null;
}

const HEADINGS: Readonly<Record<NoticeLang, Readonly<Record<Exclude<NoticePart, 'title'>, string>>>> = {
  'zh-CN': { summary: '事件概述', information: '涉及的个人信息种类', cause: '事件原因', harm: '可能造成的危害', measures: '已采取的补救措施', advice: '个人可以采取的减轻危害的措施', contact: '联系方式' },
  en: { summary: 'What happened', information: 'Information involved', cause: 'Cause', harm: 'Possible harm', measures: 'Measures taken', advice: 'What you can do', contact: 'How to reach us' },
};

const TYPE_LABELS: Readonly<Record<string, { zh: string; en: string }>> = {
  cn_name: { zh: '姓名', en: 'name' },
  cn_mobile: { zh: '手机号码', en: 'mobile number' },
  cn_landline: { zh: '固定电话号码', en: 'landline number' },
  cn_id_card: { zh: '居民身份证号码', en: 'resident ID number' },
  bank_card: { zh: '银行卡号', en: 'bank card number' },
  cn_address: { zh: '地址', en: 'address' },
  email: { zh: '电子邮箱', en: 'e-mail address' },
  cn_passport: { zh: '护照号码', en: 'passport number' },
  hk_macau_permit: { zh: '港澳居民来往内地通行证号码', en: 'Mainland travel permit number' },
  cn_plate: { zh: '车牌号码', en: 'vehicle plate number' },
  cn_uscc: { zh: '统一社会信用代码', en: 'unified social credit code' },
  ipv4: { zh: 'IP 地址', en: 'IP address' },
  ipv6: { zh: 'IP 地址', en: 'IP address' },
};

const CATEGORY_LABELS: Readonly<Record<LegalCategory, { zh: string; en: string }>> = {
  whereabouts: { zh: '行踪轨迹信息', en: 'whereabouts' },
  communication_content: { zh: '通信内容', en: 'communication content' },
  credit: { zh: '征信信息', en: 'credit information' },
  property: { zh: '财产信息', en: 'property information' },
  accommodation: { zh: '住宿信息', en: 'accommodation records' },
  communication_records: { zh: '通信记录', en: 'communication records' },
  health: { zh: '健康生理信息', en: 'health information' },
  transaction: { zh: '交易信息', en: 'transaction information' },
  other: { zh: '其他个人信息', en: 'other personal information' },
};

const SEVERITY_NAMES: Readonly<Record<SeverityLevel, { zh: string; en: string }>> = {
  below: { zh: '未达到刑事立案标准', en: 'below the criminal thresholds' },
  serious: { zh: '达到"情节严重"标准', en: 'at the "serious" criminal threshold' },
  particularly_serious: { zh: '达到"情节特别严重"标准', en: 'at the "particularly serious" criminal threshold' },
};

/** Columns whose name says what they hold when their values carry no type. */
const COLUMN_LABELS: Readonly<Record<string, { zh: string; en: string }>> = {
  employer: { zh: '工作单位', en: 'employer' },
  balance: { zh: '账户余额', en: 'account balance' },
  company: { zh: '工作单位', en: 'employer' },
};

function label(i: NoticeFacts['information'][number], lang: 'zh' | 'en'): string {
  const known = (i.type !== null ? TYPE_LABELS[i.type] : undefined) ?? COLUMN_LABELS[i.column];
  if (known !== undefined) return known[lang];
  const what = CATEGORY_LABELS[i.category][lang];
  return lang === 'zh' ? `${what}（${i.column}）` : `${what} (${i.column})`;
}

function kinds(f: NoticeFacts, lang: 'zh' | 'en'): string {
  const labels = [...new Set(f.information.map((i) => label(i, lang)))];
  if (labels.length === 0) return lang === 'zh' ? '（调查中，待确认）' : '(under investigation, to be confirmed)';
  return labels.join(lang === 'zh' ? '、' : ', ');
}

function has(f: NoticeFacts, test: (i: NoticeFacts['information'][number]) => boolean): boolean {
  return f.information.some(test);
}

const financial = (i: NoticeFacts['information'][number]) => i.type === 'bank_card' || i.category === 'property' || i.category === 'credit';
const contactable = (i: NoticeFacts['information'][number]) => i.type === 'cn_mobile' || i.type === 'cn_landline' || i.type === 'email';
const identity = (i: NoticeFacts['information'][number]) => i.type === 'cn_id_card' || i.type === 'cn_passport' || i.type === 'hk_macau_permit';

/** The possible harm, told to the person ("you") or to the regulator (about "the people affected"). */
function harm(f: NoticeFacts, lang: 'zh' | 'en', audience: NoticeAudience): string {
  const toPerson = audience === 'individual';
  const zh: string[] = [];
  const en: string[] = [];
  const [youZh, yourEn, YouEn] = toPerson ? ['您', 'your', 'You'] : ['受影响的个人', 'their', 'The people affected'];
  if (has(f, contactable)) {
    zh.push(`${youZh}可能接到冒充本公司或他人的推销、骚扰或诈骗电话、短信、邮件，对方可能准确说出${toPerson ? '您' : '其'}的姓名或单位。`);
    en.push(`${YouEn} may receive sales, nuisance or fraudulent calls, messages or e-mails from people who know ${yourEn} name or employer, possibly claiming to be us.`);
  }
  if (has(f, financial)) {
    zh.push(`${youZh}的账户可能成为诈骗或盗刷的目标，造成财产损失。`);
    en.push(`${toPerson ? 'Your' : 'Their'} accounts may be targeted by fraud or unauthorised payments, causing financial loss.`);
  }
  if (has(f, identity)) {
    zh.push(`${youZh}的身份证件号码可能被冒用办理业务。`);
    en.push(`${toPerson ? 'Your' : 'Their'} identity document numbers may be misused to open accounts or services in ${yourEn} name.`);
  }
  if (zh.length === 0) {
    zh.push(`${youZh}的个人信息可能被用于未经${toPerson ? '您' : '其'}同意的营销或其他用途。`);
    en.push(`${toPerson ? 'Your' : 'Their'} personal information may be used for marketing or other purposes without ${yourEn} consent.`);
  }
  return (lang === 'zh' ? zh : en).join(lang === 'zh' ? '' : ' ');
}

function advice(f: NoticeFacts, lang: 'zh' | 'en'): string {
  const zh = ['请勿向来电或来信者透露验证码、密码或银行卡信息；本公司工作人员不会索要这些信息。'];
  const en = ['Never give a verification code, password or card details to anyone who calls or writes; our staff never ask for them.'];
  if (has(f, financial)) {
    zh.push('请留意账户变动，如有异常请立即联系发卡银行冻结或更换卡片。');
    en.push('Watch your account activity and, if anything looks wrong, ask your bank to freeze or replace the card at once.');
  }
  if (has(f, identity)) {
    zh.push('可通过中国人民银行征信中心查询个人信用报告，确认是否有他人冒用您的身份。');
    en.push("You can check your credit report with the People's Bank of China Credit Reference Center for accounts opened in your name.");
  }
  zh.push('如遭受诈骗或损失，请立即拨打 110 报警，并与我们联系。');
  en.push('If you are defrauded or suffer a loss, call the police on 110 at once and contact us.');
  return (lang === 'zh' ? zh : en).join(lang === 'zh' ? '' : ' ');
}

const CONTAINMENT: Readonly<Record<NoticeFacts['containment'][number], { zh: string; en: string }>> = {
  suspend: { zh: '已暂停涉事人员的系统账号', en: 'suspended the account of the person involved' },
  revoke_grants: { zh: '已撤销涉事人员的数据访问授权', en: 'revoked the data-access grants of the person involved' },
};

function day(iso: string, lang: 'zh' | 'en'): string {
  const d = new Date(iso);
  return lang === 'zh' ? `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日` : d.toISOString().slice(0, 10);
}

/**
 * A first draft of a notice from the case's facts, for the investigator to edit. The contact section stays
 * empty when no company contact is configured: a notice cannot go out without it.
 *
 * @example draftNotice('individual', 'zh-CN', facts).title // '个人信息安全事件告知书'
 */
export function draftNotice(audience: NoticeAudience, lang: NoticeLang, f: NoticeFacts): NoticeText {
  const l = lang === 'zh-CN' ? 'zh' : 'en';
  const company = f.company ?? (l === 'zh' ? '本公司' : 'we');
  const Company = f.company ?? (l === 'zh' ? '本公司' : 'We');
  const cause =
    f.cause !== null
      ? f.cause
      : l === 'zh'
        ? '经初步调查，相关信息可能被内部人员未经授权查看或提供给他人，具体原因仍在调查中。'
        : 'Our first findings are that the information may have been viewed without authorisation, or passed on, by someone inside the company; the investigation continues.';
  const measures = [
    l === 'zh' ? '已立案调查，并通过访问审计账本核查了所有访问记录' : 'opened an investigation and checked every access on the audit ledger',
    ...[...new Set(f.containment)].map((k) => CONTAINMENT[k][l]),
    ...(f.measures !== null ? [f.measures] : []),
  ].join(l === 'zh' ? '；' : '; ');
  const contact = f.contact ?? '';
  if (audience === 'individual') {
    return {
      title: l === 'zh' ? '个人信息安全事件告知书' : 'Notice of a personal information incident',
      summary:
        l === 'zh'
          ? `尊敬的客户：${company}于${day(f.discoveredAt, 'zh')}发现，您在${company}留存的部分个人信息可能已被泄露。依照《中华人民共和国个人信息保护法》第五十七条，现将有关情况告知如下（事件编号 ${f.caseId}）。`
          : `Dear customer, on ${day(f.discoveredAt, 'en')} ${company === 'we' ? 'we' : company} found that some of the personal information ${company === 'we' ? 'we hold' : 'it holds'} about you may have leaked. As Article 57 of the Personal Information Protection Law requires, this notice tells you what happened (incident reference ${f.caseId}).`,
      information: l === 'zh' ? `可能涉及您的：${kinds(f, 'zh')}。` : `Your ${kinds(f, 'en')} may be involved.`,
      cause,
      harm: harm(f, l, 'individual'),
      measures: l === 'zh' ? `${Company}${measures}。` : `${Company} ${Company === 'We' ? 'have' : 'has'} ${measures}.`,
      advice: advice(f, l),
      contact,
    };
  }
  const sensitive = f.sensitive ? (l === 'zh' ? '，含敏感个人信息' : ', including sensitive personal information') : '';
  const minors = f.minors > 0 ? (l === 'zh' ? `，其中不满十四周岁的未成年人 ${f.minors} 人` : `, of whom ${f.minors} are minors under 14`) : '';
  const deadline =
    f.deadline !== null && f.reportTo !== null
      ? l === 'zh'
        ? `依照《国家网络安全事件报告管理办法》，本报告应于 ${f.deadline} 前报送${f.reportTo.zh}。`
        : `Under the 2025 incident-reporting rules this report is due to ${f.reportTo.en} by ${f.deadline}.`
      : '';
  return {
    title: l === 'zh' ? '个人信息安全事件报告' : 'Personal information security incident report',
    summary:
      l === 'zh'
        ? `${company}于${day(f.discoveredAt, 'zh')}发现一起个人信息安全事件（事件编号 ${f.caseId}），涉及 ${f.people} 名个人${sensitive}${minors}。事件分级：${GRADE_NAMES[f.grade].zh}；按记录数评估：${SEVERITY_NAMES[f.severity].zh}。${deadline}`
        : `On ${day(f.discoveredAt, 'en')} ${company === 'we' ? 'we' : company} found a personal information security incident (reference ${f.caseId}) affecting ${f.people} people${sensitive}${minors}. Grade: ${GRADE_NAMES[f.grade].en}; by records affected: ${SEVERITY_NAMES[f.severity].en}. ${deadline}`.trim(),
    information: l === 'zh' ? `${kinds(f, 'zh')}。` : `${kinds(f, 'en')}.`,
    cause,
    harm: harm(f, l, 'regulator'),
    measures: l === 'zh' ? `${Company}${measures}。已逐一告知受影响的个人。` : `${Company} ${Company === 'We' ? 'have' : 'has'} ${measures}; each person affected is being notified.`,
    advice: advice(f, l),
    contact,
  };
}

/** The parts a notice still lacks (empty) or has too long; empty when it can go out. */
export function noticeProblems(text: Partial<Record<NoticePart, string>>): NoticePart[] {
  return NOTICE_PARTS.filter((p) => {
    const v = text[p];
    return v === undefined || v.trim().length === 0 || v.length > NOTICE_LIMITS[p];
  });
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** The headings of the parts, per language. */
export function noticeHeading(lang: NoticeLang, part: Exclude<NoticePart, 'title'>): string {
  return HEADINGS[lang][part];
}

/**
 * A notice as a standalone HTML page (every text escaped), with its version and hash in the footer so a
 * printed copy can be matched to the ledger.
 */
export function renderNoticeHtml(lang: NoticeLang, text: NoticeText, meta: { readonly caseId: string; readonly version: number; readonly sha256: string }): string {
  const parts = NOTICE_PARTS.filter((p): p is Exclude<NoticePart, 'title'> => p !== 'title')
    .map((p) => `<section><h2>${esc(HEADINGS[lang][p])}</h2>${text[p].split(/\n+/).map((line) => `<p>${esc(line)}</p>`).join('')}</section>`)
    .join('\n');
  const footer = lang === 'zh-CN' ? `事件编号 ${esc(meta.caseId)} · 第 ${meta.version} 版 · SHA-256 ${meta.sha256}` : `Case ${esc(meta.caseId)} · version ${meta.version} · SHA-256 ${meta.sha256}`;
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><title>${esc(text.title)}</title>
<style>body{font-family:"Noto Sans SC","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;max-width:46em;margin:2em auto;line-height:1.6}h1{font-size:1.5em}h2{font-size:1.1em;margin-top:1.4em}footer{margin-top:2em;color:#555;font-size:.85em}</style>
</head>
<body>
<h1>${esc(text.title)}</h1>
${parts}
<footer>${footer}</footer>
</body>
</html>
`;
}
