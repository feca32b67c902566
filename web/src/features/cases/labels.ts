import type { CaseStatus, LegalCategory, NoticeAudience, OperatorKind, SeverityLevel } from '../../lib/api.js';
import type { MessageKey } from '../../lib/i18n.js';

export const CASE_STATUS_LABELS: Readonly<Record<CaseStatus, MessageKey>> = {
  new: 'caseStatus.new',
  investigating: 'caseStatus.investigating',
  contained: 'caseStatus.contained',
  notified: 'caseStatus.notified',
  closed: 'caseStatus.closed',
};

export const CHANNELS = ['phone', 'email', 'letter', 'in_person', 'app', 'regulator', 'social_media'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Readonly<Record<Channel, MessageKey>> = {
  phone: 'channel.phone',
  email: 'channel.email',
  letter: 'channel.letter',
  in_person: 'channel.in_person',
  app: 'channel.app',
  regulator: 'channel.regulator',
  social_media: 'channel.social_media',
};

/** The identifiers a complainant says leaked (the record fields). */
export const IDENTIFIERS = ['name', 'mobile', 'id_number', 'bank_card', 'address', 'email', 'employer'] as const;

export const SEVERITY_LEVEL_LABELS: Readonly<Record<SeverityLevel, MessageKey>> = {
  below: 'level.below',
  serious: 'level.serious',
  particularly_serious: 'level.particularly_serious',
};

/** The legal categories of 法释〔2017〕10号 Art. 5 (the catalog's classification; also the quota meter's). */
export const CATEGORY_LABELS: Readonly<Record<string, MessageKey>> & Readonly<Record<LegalCategory, MessageKey>> = {
  whereabouts: 'category.whereabouts',
  communication_content: 'category.communication_content',
  credit: 'category.credit',
  property: 'category.property',
  accommodation: 'category.accommodation',
  communication_records: 'category.communication_records',
  health: 'category.health',
  transaction: 'category.transaction',
  other: 'category.other',
};

export const OPERATOR_LABELS: Readonly<Record<OperatorKind, MessageKey>> = {
  cii: 'operator.cii',
  state_organ: 'operator.state_organ',
  other: 'operator.other',
};

export const AUDIENCE_LABELS: Readonly<Record<NoticeAudience, MessageKey>> = {
  regulator: 'notice.regulator',
  individual: 'notice.individual',
};
