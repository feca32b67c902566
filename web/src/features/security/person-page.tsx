import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, query, type Alert, type Hold, type LedgerItem } from '../../lib/api.js';
import { byDay, byHour, type Bucket } from '../../lib/activity.js';
import { formatTime, useLang } from '../../lib/i18n.js';
import { go } from '../../lib/route.js';
import { ErrorNote, Field, PageTitle } from '../../lib/ui.js';
import { EventsTable } from './events-table.js';
import { SEVERITY_LABELS, STATUS_LABELS } from './labels.js';

const DAYS = 14;
const LIMIT = 1000;

/** A person's access over time (from the ledger), their alerts and holds. */
export function PersonPage({ staffId }: { readonly staffId: string | undefined }): ReactNode {
  const { t } = useLang();
  const [typed, setTyped] = useState(staffId ?? '');
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (typed.trim() !== '') go('security', 'people', typed.trim());
  };
  return (
    <section>
      <PageTitle>{staffId === undefined ? t('person.title') : t('person.titleOf', { id: staffId })}</PageTitle>
      <form className="inline" onSubmit={submit} aria-label={t('person.find')}>
        <Field label={t('person.staffId')} name="staffId" value={typed} onChange={setTyped} required maxLength={128} />
        <button type="submit">{t('person.show')}</button>
      </form>
      {staffId === undefined ? <p className="hint">{t('person.hint')}</p> : <PersonDetails staffId={staffId} />}
    </section>
  );
}

function PersonDetails({ staffId }: { readonly staffId: string }): ReactNode {
  const { t, lang } = useLang();
  const [items, setItems] = useState<readonly LedgerItem[] | null>(null);
  const [alerts, setAlerts] = useState<readonly Alert[]>([]);
  const [holds, setHolds] = useState<readonly Hold[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const [now] = useState(() => new Date());

  useEffect(() => {
    let live = true;
    const from = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (DAYS - 1)).toISOString();
    Promise.all([
      api<{ items: LedgerItem[] }>('GET', `/api/v1/ledger/events${query({ actor: staffId, from, limit: LIMIT })}`),
      api<{ items: Alert[] }>('GET', `/api/v1/alerts${query({ actor: staffId, limit: 20 })}`),
      api<{ items: Hold[] }>('GET', '/api/v1/holds'),
    ])
      .then(([e, a, h]) => {
        if (!live) return;
        setItems(e.items);
        setAlerts(a.items);
        setHolds(h.items.filter((x) => x.staffId === staffId));
      })
      .catch((err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [staffId, now]);

  const hours = useMemo(() => byHour(items ?? []), [items]);
  const days = useMemo(() => byDay(items ?? [], now, DAYS), [items, now]);
  if (error !== undefined) return <ErrorNote error={error} />;
  if (items === null) return <p aria-busy="true">{t('app.loading')}</p>;
  const recent = [...items].reverse().slice(0, 30);
  return (
    <>
      <p className="summary">{t('person.summary', { n: items.length, days: DAYS })}</p>
      {items.length >= LIMIT ? <p className="hint">{t('person.truncated', { n: LIMIT })}</p> : null}
      {holds.length > 0 ? (
        <p className="warn" role="status">
          {t('person.holds', { kinds: holds.map((h) => h.kind).join(', ') })}
        </p>
      ) : null}
      <div className="charts">
        <Chart id="chart-hour" title={t('person.byHour')} buckets={hours} />
        <Chart id="chart-day" title={t('person.byDay', { days: DAYS })} buckets={days} />
      </div>
      <h2>{t('person.alerts')}</h2>
      {alerts.length === 0 ? (
        <p>{t('alerts.none')}</p>
      ) : (
        <ul className="person-alerts">
          {alerts.map((a) => (
            <li key={a.id}>
              <span className={`sev sev-${a.severity}`}>{t(SEVERITY_LABELS[a.severity])}</span> {formatTime(lang, a.time)} · {t(STATUS_LABELS[a.status])} · {a.summary}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('person.recent')}</h2>
      {recent.length === 0 ? <p>{t('person.noEvents')}</p> : <EventsTable items={recent} caption={t('person.recentCaption', { n: recent.length })} showActor={false} />}
    </>
  );
}

/** One ECharts chart (the library is fetched when the first chart opens) with its data as a table for screen readers. */
function Chart({ id, title, buckets }: { readonly id: string; readonly title: string; readonly buckets: readonly Bucket[] }): ReactNode {
  const { t } = useLang();
  const ref = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const eventsLabel = t('person.entries');
  const customersLabel = t('person.customers');
  useEffect(() => {
    let dispose: (() => void) | undefined;
    let live = true;
    import('../../lib/charts.js')
      .then((m) => {
        if (live && ref.current !== null) dispose = m.drawActivity(ref.current, { title, eventsLabel, customersLabel, buckets });
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
      dispose?.();
    };
  }, [title, eventsLabel, customersLabel, buckets]);
  return (
    <figure className="chart-figure">
      <div id={id} ref={ref} className="chart" role="img" aria-label={title} />
      {failed ? <p className="error">{t('person.chartFailed')}</p> : null}
      <details>
        <summary>{t('person.dataTable')}</summary>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{title}</th>
              <th scope="col">{eventsLabel}</th>
              <th scope="col">{customersLabel}</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((b) => (
              <tr key={b.label}>
                <td>{b.label}</td>
                <td>{b.events}</td>
                <td>{b.customers}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
