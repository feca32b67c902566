import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, type AccessRequest } from '../../lib/api.js';
import { useLang } from '../../lib/i18n.js';
import { ErrorNote, Field, PageTitle } from '../../lib/ui.js';
import { RequestCells, RequestHeaders } from './requests-table.js';

/** The approvals inbox (GET /api/v1/access-requests?scope=decide): approve or reject with a reason, never one's own. */
export function ApprovalsPage(): ReactNode {
  const { t } = useLang();
  const [items, setItems] = useState<readonly AccessRequest[] | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState('');
  const load = useCallback(() => {
    api<{ items: AccessRequest[] }>('GET', '/api/v1/access-requests?scope=decide&limit=100').then((r) => setItems(r.items), setError);
  }, []);
  useEffect(load, [load]);
  return (
    <section>
      <PageTitle>{t('approvals.title')}</PageTitle>
      <p className="hint">{t('approvals.hint')}</p>
      <ErrorNote error={error} />
      <p role="status">{done}</p>
      {items === null ? (
        error === undefined ? <p aria-busy="true">{t('app.loading')}</p> : null
      ) : items.length === 0 ? (
        <p>{t('approvals.none')}</p>
      ) : (
        <table className="data approvals">
          <caption>{t('approvals.caption', { n: items.length })}</caption>
          <thead>
            <tr>
              <RequestHeaders />
              <th scope="col">{t('approvals.requester')}</th>
              <th scope="col">{t('approvals.decide')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id} data-request={r.id}>
                <RequestCells r={r} />
                <td>
                  {r.requester}
                  <div className="hint">{r.reason}</div>
                </td>
                <td>
                  <DecisionForm
                    request={r}
                    onDecided={(d) => {
                      setDone(t('approvals.decided', { id: d.id, decision: t(d.status === 'approved' ? 'request.approved' : 'request.rejected') }));
                      load();
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function DecisionForm({ request: r, onDecided }: { readonly request: AccessRequest; readonly onDecided: (r: AccessRequest) => void }): ReactNode {
  const { t } = useLang();
  const [reason, setReason] = useState('');
  const [hours, setHours] = useState('8');
  const [error, setError] = useState<unknown>(undefined);
  const decide = (decision: 'approve' | 'reject'): void => {
    setError(undefined);
    api<AccessRequest>('POST', `/api/v1/access-requests/${encodeURIComponent(r.id)}/decision`, { decision, reason, hours: Number(hours) }).then(onDecided, setError);
  };
  return (
    <form
      className="decision"
      aria-label={t('approvals.decideOn', { id: r.id })}
      onSubmit={(e) => {
        e.preventDefault();
        const submitter = e.nativeEvent.submitter;
        decide(submitter instanceof HTMLButtonElement && submitter.value === 'reject' ? 'reject' : 'approve');
      }}
    >
      <Field label={t('approvals.reason')} name="reason" value={reason} onChange={setReason} required minLength={5} maxLength={1000} />
      <Field label={t('approvals.hours')} name="hours" type="number" value={hours} onChange={setHours} required maxLength={3} />
      <div className="buttons">
        <button type="submit" name="decision" value="approve">
          {t('approvals.approve')}
        </button>
        <button type="submit" name="decision" value="reject" className="secondary">
          {t('approvals.reject')}
        </button>
      </div>
      <ErrorNote error={error} />
    </form>
  );
}
