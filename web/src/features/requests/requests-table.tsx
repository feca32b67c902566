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

/** A request's state: status, until when (or that the approval ended), the decision, and an approved export's download while it lasts. */
function RequestStatusCell({ r, now }: { readonly r: AccessRequest; readonly now: number }): ReactNode {
  const { t, lang } = useLang();
  const live = r.status !== 'rejected' && r.expiresAt !== null && Date.parse(r.expiresAt) > now;
  return (
    <td>
      <span className={`badge req-${r.status}`}>{t(REQUEST_STATUS_LABELS[r.status])}</span>
      {r.expiresAt !== null && r.status !== 'rejected' ? <div className="hint">{t(live ? 'request.until' : 'exports.ended', { time: formatTime(lang, r.expiresAt) })}</div> : null}
      {r.decisionReason !== null ? <div className="hint">{t('request.decisionBy', { who: r.approver ?? '', reason: r.decisionReason })}</div> : null}
      {r.kind === 'export' && r.status === 'approved' && live ? (
        <a className="button" href={`/api/v1/exports/${encodeURIComponent(r.id)}/file`} download aria-label={t('exports.downloadOf', { id: r.id })}>
          {t('request.download')}
        </a>
      ) : null}
    </td>
  );
}

/** My requests as a table (the "my requests" and "exports" pages). */
export function MyRequestsTable({ items, className, caption }: { readonly items: readonly AccessRequest[]; readonly className: string; readonly caption: string }): ReactNode {
  const { t } = useLang();
  const now = Date.now();
  return (
    <table className={`data ${className}`}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <RequestHeaders />
          <th scope="col">{t('request.status')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((r) => (
          <tr key={r.id} data-request={r.id} data-status={r.status}>
            <RequestCells r={r} />
            <RequestStatusCell r={r} now={now} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}
