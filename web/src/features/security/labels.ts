import type { AlertStatus, Severity } from '../../lib/api.js';
import type { MessageKey } from '../../lib/i18n.js';

export const SEVERITY_LABELS: Readonly<Record<Severity, MessageKey>> = {
  low: 'severity.low',
  medium: 'severity.medium',
  high: 'severity.high',
  critical: 'severity.critical',
};

export const STATUS_LABELS: Readonly<Record<AlertStatus, MessageKey>> = {
  open: 'status.open',
  assigned: 'status.assigned',
  dismissed: 'status.dismissed',
  case: 'status.case',
};
