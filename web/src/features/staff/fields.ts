import type { MessageKey } from '../../lib/i18n.js';

/** Labels of the record fields the demo source has; other columns show their own name. */
export const FIELD_LABELS: Readonly<Record<string, MessageKey>> = {
  name: 'field.name',
  mobile: 'field.mobile',
  id_number: 'field.id_number',
  bank_card: 'field.bank_card',
  address: 'field.address',
  email: 'field.email',
  balance: 'field.balance',
  employer: 'field.employer',
};
