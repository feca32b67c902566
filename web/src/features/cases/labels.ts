import type { CaseStatus } from '../../lib/api.js';
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
