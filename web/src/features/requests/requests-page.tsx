import { useEffect, useState, type ReactNode } from 'react';
import { api, type AccessRequest } from '../../lib/api.js';
import { formatTime, useLang } from '../../lib/i18n.js';
import { ErrorNote, PageTitle } from '../../lib/ui.js';
import { REQUEST_STATUS_LABELS, RequestCells, RequestHeaders } from './requests-table.js';

/** "My requests" (GET /api/v1/access-requests?scope=mine): each one's state and, once approved, until when. */
export function RequestsPage(): ReactNode {
  const { t, lang } = useLang();
  const [items, setItems] = useState<readonly AccessRequest[] | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    api<{ items: AccessRequest[] }>('GET', '/api/v1/access-requests?scope=mine&limit=100').then((r) => setItems(r.items), setError);
  }, []);
  return (
    <section>
      <PageTitle>{t('requests.title')}</PageTitle>
      <p className="hint">{t('requests.hint')}</p>
      <ErrorNote error={error} />
      {items === null ? (
        error === undefined ? <p aria-busy="true">{t('app.loading')}</p> : null
      ) : items.length === 0 ? (
        <p>{t('requests.none')}</p>
      ) : (
        <table className="data requests">
          <caption>{t('requests.caption', { n: items.length })}</caption>
          <thead>
            <tr>
              <RequestHeaders />
              <th scope="col">{t('request.status')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id} data-request={r.id}>
                <RequestCells r={r} />
                <td>
                  <span className={`badge req-${r.status}`}>{t(REQUEST_STATUS_LABELS[r.status])}</span>
                  {r.expiresAt !== null && r.status !== 'rejected' ? <div className="hint">{t('request.until', { time: formatTime(lang, r.expiresAt) })}</div> : null}
                  {r.decisionReason !== null ? <div className="hint">{t('request.decisionBy', { who: r.approver ?? '', reason: r.decisionReason })}</div> : null}
                  {r.kind === 'export' && r.status === 'approved' ? (
                    <a href={`/api/v1/exports/${encodeURIComponent(r.id)}/file`} download>
                      {t('request.download')}
                    </a>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
