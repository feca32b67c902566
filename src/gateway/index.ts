/**
 * gateway: the record API between staff and the data: decide, read from the data source, mask, and put
 * every record shown on the ledger before the response leaves. Other capabilities import only this file.
 */
export {
  createGateway, MAX_PAGE, type Gateway, type GatewayOptions, type SubjectView, type Page, type SearchKey,
  type RequestContext, type LedgerAppender, type Recorded, type RevealRequest, type RevealedView,
} from './gateway-service.js';
export type { ExtraRecords } from './gateway-service.js';
export { maskRow, scalarText, type FieldPlan, type FieldRule } from './field-plan.js';
export { policyContext, viewGrant, checkView, maskReasonsFor, maskOfRelation, seesNoCustomers, COMPANY_UTC_OFFSET_HOURS, type MaskReason, type RecordView } from './policy-check.js';
