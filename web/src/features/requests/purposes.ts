import type { MessageKey } from '../../lib/i18n.js';

/**
 * The purposes the console offers per role (docs/access.md). Only a convenience for the form: the server
 * decides, and a purpose the role does not have is refused with CUSTOS_PURPOSE_NOT_ALLOWED naming the right ones.
 */
const BY_ROLE: Readonly<Record<string, readonly string[]>> = {
  service_agent: ['customer_request', 'complaint', 'kyc_review'],
  telesales: ['campaign_call'],
  teller: ['counter_service'],
  risk_analyst: ['risk_review', 'fraud_investigation'],
  engineer: ['incident'],
};

export const PURPOSE_LABELS: Readonly<Record<string, MessageKey>> = {
  customer_request: 'purpose.customer_request',
  complaint: 'purpose.complaint',
  kyc_review: 'purpose.kyc_review',
  campaign_call: 'purpose.campaign_call',
  counter_service: 'purpose.counter_service',
  risk_review: 'purpose.risk_review',
  fraud_investigation: 'purpose.fraud_investigation',
  incident: 'purpose.incident',
};

/** The role's purposes first, then the others (the server refuses the ones the role lacks). */
export function purposesFor(role: string): readonly string[] {
  const own = BY_ROLE[role] ?? [];
  return [...own, ...Object.keys(PURPOSE_LABELS).filter((p) => !own.includes(p))];
}
