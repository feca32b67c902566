import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, type Hold, type Me } from '../../lib/api.js';
import { formatTime, useLang, type MessageKey } from '../../lib/i18n.js';
import { href } from '../../lib/route.js';
import { ErrorNote, Field, PageTitle } from '../../lib/ui.js';

const KIND_LABELS: Readonly<Record<Hold['kind'], MessageKey>> = { throttle: 'holds.throttle', suspend: 'holds.suspend' };

/** Throttles and suspensions in force (GET /api/v1/holds), lifted with a reason. */
export function HoldsPage({ me }: { readonly me: Me }): ReactNode {
  const { t, lang } = useLang();
  const [items, setItems] = useState<readonly Hold[] | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const load = useCallback(async () => {
    try {
      setItems((await api<{ items: Hold[] }>('GET', '/api/v1/holds')).items);
    } catch (err) {
      setError(err);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section>
      <PageTitle>{t('holds.title')}</PageTitle>
      <ErrorNote error={error} />
      {items === null ? (
        error === undefined ? <p aria-busy="true">{t('app.loading')}</p> : null
      ) : items.length === 0 ? (
        <p>{t('holds.none')}</p>
      ) : (
        <table className="data">
          <caption>{t('holds.caption', { n: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('alerts.person')}</th>
              <th scope="col">{t('holds.kind')}</th>
              <th scope="col">{t('holds.since')}</th>
              <th scope="col">{t('holds.until')}</th>
              <th scope="col">{t('holds.alert')}</th>
              <th scope="col">{t('holds.lift')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((h) => (
              <tr key={h.id}>
                <td>
                  <a href={href('security', 'people', h.staffId)}>{h.staffId}</a>
                </td>
                <td>{t(KIND_LABELS[h.kind])}</td>
                <td>{formatTime(lang, h.createdAt)}</td>
                <td>{h.until === null ? t('holds.untilLifted') : formatTime(lang, h.until)}</td>
                <td>{h.alertId ?? '–'}</td>
                <td>{h.staffId === me.id ? t('holds.own') : <LiftForm staffId={h.staffId} onLifted={() => void load()} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function LiftForm({ staffId, onLifted }: { readonly staffId: string; readonly onLifted: () => void }): ReactNode {
  const { t } = useLang();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  return (
    <form
      className="inline"
      aria-label={t('holds.liftFor', { id: staffId })}
      onSubmit={(e) => {
        e.preventDefault();
        setError(undefined);
        api('POST', `/api/v1/holds/${encodeURIComponent(staffId)}/lift`, { reason }).then(onLifted, setError);
      }}
    >
      <Field label={t('alerts.reason')} name="reason" value={reason} onChange={setReason} required minLength={3} maxLength={500} />
      <button type="submit">{t('holds.lift')}</button>
      <ErrorNote error={error} />
    </form>
  );
}
