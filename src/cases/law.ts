/**
 * Every legal figure the cases capability computes with, in one place, each with its source and the date it
 * took effect. Laws change (the Cybersecurity Law was amended on 2025-10-28 and renumbered from 2026-01-01):
 * change a figure here, with its source, and the tests that sit just below and above each threshold follow it.
 * Sources are secondary reprints checked for the project (../shared/CN-PII.md); confirm the wording against the
 * official gazette before quoting it to a customer. `verified: false` marks figures recalled, not checked.
 */
import { CATEGORY_THRESHOLD, type LegalCategory } from '../catalog/index.js';

/** Where a figure comes from. */
export interface LegalSource {
  readonly instrument: string;
  readonly article: string;
  /** The date the text in force took effect (ISO). */
  readonly effective: string;
  /** Checked against a stored copy (CN-PII.md [V]) or only recalled ([M]). */
  readonly verified: boolean;
}

const SPC_2017_10: Omit<LegalSource, 'article' | 'verified'> = {
  instrument: '最高人民法院 最高人民检察院《关于办理侵犯公民个人信息刑事案件适用法律若干问题的解释》(法释〔2017〕10号)',
  effective: '2017-06-01',
};

/**
 * 法释〔2017〕10号 Art. 5 ¶1 items (3)–(5): the records that make providing or selling personal information
 * "serious" (情节严重) under Criminal Law Art. 253-1, per legal category of the information. The figures live once,
 * in the catalog's classification (every field's category and threshold); this names their source.
 */
export const SERIOUS_RECORDS: Readonly<Record<LegalCategory, number>> = CATEGORY_THRESHOLD;

export const CRIMINAL = {
  seriousRecords: SERIOUS_RECORDS,
  seriousRecordsSource: { ...SPC_2017_10, article: 'Art. 5 ¶1 (3)–(5)', verified: true },
  /** Item (6): below each threshold alone, but the categories reach it "added in proportion" (按相应比例合计). */
  proportionSource: { ...SPC_2017_10, article: 'Art. 5 ¶1 (6)', verified: true },
  /** Item (7): illegal gains of ¥5,000 or more. */
  seriousGainYuan: 5000,
  seriousGainSource: { ...SPC_2017_10, article: 'Art. 5 ¶1 (7)', verified: true },
  /** Item (8): information obtained while performing duties or providing services: half of the amounts of (3)–(7). */
  insiderFactor: { numerator: 1, denominator: 2 },
  insiderSource: { ...SPC_2017_10, article: 'Art. 5 ¶1 (8)', verified: true },
  /** ¶2: ten times the standards of ¶1 items (3)–(8) is "particularly serious" (情节特别严重). */
  particularlySeriousMultiple: 10,
  particularlySeriousSource: { ...SPC_2017_10, article: 'Art. 5 ¶2', verified: true },
  /** "以上" includes the number itself: a figure equal to a threshold reaches it. */
  inclusiveSource: { instrument: '《中华人民共和国刑法》', article: 'Art. 99', effective: '1997-10-01', verified: false },
  /** The offence: "serious" up to 3 years; "particularly serious" 3 to 7 years; heavier for information obtained in one's job. */
  offenceSource: { instrument: '《中华人民共和国刑法》', article: 'Art. 253-1', effective: '2015-11-01', verified: true },
} as const;

/** The kinds of operator the 2025 reporting rules give different deadlines. */
export const OPERATOR_KINDS = ['cii', 'state_organ', 'other'] as const;
export type OperatorKind = (typeof OPERATOR_KINDS)[number];

/** Incident grades of the 网络安全事件分级指南, lowest first. */
export const INCIDENT_GRADES = ['general', 'relatively_major', 'major', 'especially_major'] as const;
export type IncidentGrade = (typeof INCIDENT_GRADES)[number];

export const GRADE_NAMES: Readonly<Record<IncidentGrade, { readonly zh: string; readonly en: string }>> = {
  general: { zh: '一般', en: 'general' },
  relatively_major: { zh: '较大', en: 'relatively major' },
  major: { zh: '重大', en: 'major' },
  especially_major: { zh: '特别重大', en: 'especially major' },
};

const CAC_2025_REPORTING = { instrument: '国家互联网信息办公室《国家网络安全事件报告管理办法》', effective: '2025-11-01' };

export const INCIDENT = {
  /**
   * Grade by people whose personal information leaked, highest first: ≥100 million is 特别重大 (checked); ≥10
   * million 重大 and ≥1 million 较大 are recalled; MIIT's 2024 plan makes 1–10 million people's sensitive
   * information 重大.
   */
  gradeByPeople: [
    { grade: 'especially_major', people: 100_000_000, sensitivePeople: Number.POSITIVE_INFINITY, source: { instrument: '《网络安全事件分级指南》', article: '特别重大: ≥1亿人个人信息', effective: '2025-11-01', verified: true } },
    { grade: 'major', people: 10_000_000, sensitivePeople: 1_000_000, source: { instrument: '《网络安全事件分级指南》; 工业和信息化部 数据安全事件应急预案 (2024)', article: '重大: ≥1000万人, 或 ≥100万人敏感个人信息', effective: '2025-11-01', verified: false } },
    { grade: 'relatively_major', people: 1_000_000, sensitivePeople: Number.POSITIVE_INFINITY, source: { instrument: '《网络安全事件分级指南》', article: '较大: ≥100万人', effective: '2025-11-01', verified: false } },
  ] as const satisfies readonly { grade: IncidentGrade; people: number; sensitivePeople: number; source: LegalSource }[],
  /** The lowest grade that must be reported within hours. */
  reportFrom: 'relatively_major' as IncidentGrade,
  /** Minutes from discovery to the report, by kind of operator, and to whom. */
  deadlineMinutes: {
    cii: { minutes: 60, to: { zh: '关键信息基础设施保护工作部门和公安机关', en: 'the CII protection department and the public security organ' } },
    state_organ: { minutes: 120, to: { zh: '本单位网信部门', en: "the organ's own cyberspace office" } },
    other: { minutes: 240, to: { zh: '属地省级网信部门', en: 'the provincial cyberspace administration' } },
  } as const satisfies Record<OperatorKind, { minutes: number; to: { zh: string; en: string } }>,
  deadlineSource: { ...CAC_2025_REPORTING, article: '报告时限 (1 h / 2 h / 4 h)', verified: true },
  /** PIPL Art. 57: remedy at once and notify the regulator and the people, with no hour deadline. */
  noticeSource: { instrument: '《中华人民共和国个人信息保护法》', article: 'Art. 57', effective: '2021-11-01', verified: true },
  /** The Cybersecurity Law duty to remedy, inform users and report a leak: Art. 42 before 2026, Art. 44 from 2026-01-01. */
  cybersecuritySource: { instrument: '《中华人民共和国网络安全法》(2025-10-28 修正)', article: 'Art. 44 (Art. 42 before 2026-01-01)', effective: '2026-01-01', verified: false },
  /** The data-security duty to respond, inform users and report. */
  dataSecuritySource: { instrument: '《中华人民共和国数据安全法》', article: 'Art. 29', effective: '2021-09-01', verified: true },
  /** Decree 790: notify harmed people by phone, SMS, IM, e-mail or notice. */
  networkDataSource: { instrument: '《网络数据安全管理条例》(国务院令第790号)', article: 'Art. 11', effective: '2025-01-01', verified: false },
} as const;

/** PIPL Art. 28: sensitive personal information, and the age under which a person's information is all sensitive. */
export const SENSITIVE = {
  /** The legal categories whose information Art. 28 names (financial accounts and property, whereabouts, medical health). */
  categories: ['property', 'credit', 'whereabouts', 'health'] as readonly LegalCategory[],
  minorAgeUnder: 14,
  source: { instrument: '《中华人民共和国个人信息保护法》', article: 'Art. 28', effective: '2021-11-01', verified: true },
  /** The bare ID number is no longer "specific identity" sensitive information (the catalog follows this). */
  idNumberSource: { instrument: 'GB/T 45574-2025《数据安全技术 敏感个人信息处理安全要求》', article: 'Annex A', effective: '2025-11-01', verified: true },
} as const;

/** What an incident notice must say (PIPL Art. 57 ¶1, with GB/T 35273-2020 §10.2's advice to individuals). */
export const NOTICE_SECTIONS = ['information', 'cause', 'harm', 'measures', 'advice', 'contact'] as const;
export type NoticeSection = (typeof NOTICE_SECTIONS)[number];

/** Every source above, for the case view and docs/cases.md. */
export function legalBasis(): readonly LegalSource[] {
  return [
    CRIMINAL.offenceSource,
    CRIMINAL.seriousRecordsSource,
    CRIMINAL.proportionSource,
    CRIMINAL.seriousGainSource,
    CRIMINAL.insiderSource,
    CRIMINAL.particularlySeriousSource,
    CRIMINAL.inclusiveSource,
    INCIDENT.deadlineSource,
    ...INCIDENT.gradeByPeople.map((g) => g.source),
    INCIDENT.noticeSource,
    INCIDENT.cybersecuritySource,
    INCIDENT.dataSecuritySource,
    INCIDENT.networkDataSource,
    SENSITIVE.source,
    SENSITIVE.idNumberSource,
  ];
}
