/**
 * access: requests to reveal fields or export records, four-eyes approval, time-boxed grants, break-glass
 * reveals with review afterwards, and the export files an approved request produces.
 * Other capabilities import only from this file.
 */
export {
  createAccessService, DEFAULT_APPROVAL, REQUEST_KINDS, REQUEST_STATUSES, EXPORT_FORMATS,
  type AccessService, type ActiveGrant, type AccessRequest, type NewRequest, type ApprovalRules, type RequestKind, type RequestStatus, type ExportFormat,
} from './access-service.js';
export { writeExport, readXlsx, type ExportMarker, type ExportTable, type ExportRow } from './export-file.js';
export { ticketProblem } from './ticket-check.js';
