import type { ReactNode } from 'react';
import type { AccessRequest, RequestStatus } from '../../lib/api.js';
import { formatTime, useLang, type MessageKey } from '../../lib/i18n.js';
import { FIELD_LABELS } from '../staff/fields.js';
import { PURPOSE_LABELS } from './purposes.js';

export const REQUEST_STATUS_LABELS: Readonly<Record<RequestStatus, MessageKey>> = {
  pending: 'request.pending',
  approved: 'request.approved',
  rejected: 'request.rejected',
  break_glass: 'request.breakGlass',
};

/** The column headers of RequestCells. */
export function RequestHeaders(): ReactNode {
  const { t } = useLang();
  return (
    <>
      <th scope="col">{t('request.request')}</th>
      <th scope="col">{t('request.customersCol')}</th>
      <th scope="col">{t('record.field')}</th>
      <th scope="col">{t('reveal.purpose')}</th>
      <th scope="col">{t('request.created')}</th>
    </>
  );
}

/** The cells every request table shows: kind, customers (ids), fields, purpose and ticket, when. */
export function RequestCells({ r }: { readonly r: AccessRequest }): ReactNode {
  const { t, lang } = useLang();
  const field = (f: string): string => (FIELD_LABELS[f] !== undefined ? t(FIELD_LABELS[f]) : f);
  const purpose = PURPOSE_LABELS[r.purpose];
  return (
    <>
      <td>
        <code>{r.id}</code>
        <br />
        {r.kind === 'export' ? t('request.kindExport', { format: r.format ?? 'csv' }) : t('request.kindReveal')}
      </td>
      <td>{r.subjectCount <= 3 ? r.subjects.join(t('common.listSep')) : t('request.customers', { n: r.subjectCount, first: r.subjects.slice(0, 2).join(t('common.listSep')) })}</td>
      <td>{r.fields.map(field).join(t('common.listSep'))}</td>
      <td>
        {purpose !== undefined ? t(purpose) : r.purpose}
        {r.ticket !== null ? ` · ${r.ticket}` : ''}
      </td>
      <td>{formatTime(lang, r.createdAt)}</td>
    </>
  );
}
