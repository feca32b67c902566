import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, query, type Alert, type Hold, type LedgerItem, type PersonRisk } from '../../lib/api.js';
import { byDay, byHour, mixOf } from '../../lib/activity.js';
import { formatTime, useLang } from '../../lib/i18n.js';
import { go } from '../../lib/route.js';
import { ErrorNote, Field, PageTitle } from '../../lib/ui.js';
import { EventsTable } from './events-table.js';
import { FIELD_LABELS } from '../staff/fields.js';
import type * as ChartsModule from '../../lib/charts.js';
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
  const [against, setAgainst] = useState<PersonRisk | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [now] = useState(() => new Date());

  useEffect(() => {
    let live = true;
    const from = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (DAYS - 1)).toISOString();
    Promise.all([
      api<{ items: LedgerItem[] }>('GET', `/api/v1/ledger/events${query({ actor: staffId, from, limit: LIMIT })}`),
      api<{ items: Alert[] }>('GET', `/api/v1/alerts${query({ actor: staffId, limit: 20 })}`),
      api<{ items: Hold[] }>('GET', '/api/v1/holds'),
      api<PersonRisk>('GET', `/api/v1/risk/people/${encodeURIComponent(staffId)}${query({ days: DAYS })}`),
    ])
      .then(([e, a, h, r]) => {
        if (!live) return;
        setItems(e.items);
        setAlerts(a.items);
        setHolds(h.items.filter((x) => x.staffId === staffId));
        setAgainst(r);
      })
      .catch((err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [staffId, now]);

  const hours = useMemo(() => byHour(items ?? []), [items]);
  const days = useMemo(() => byDay(items ?? [], now, DAYS), [items, now]);
  const mix = useMemo(() => mixOf(items ?? []), [items]);
  const eventsLabel = t('person.entries');
  const customersLabel = t('person.customers');
  const hourTitle = t('person.byHour');
  const dayTitle = t('person.byDay', { days: DAYS });
  const againstTitle = t('person.against');
  const againstNames = useMemo(() => [t('person.customersPerDay'), t('person.ownBaseline'), t('person.peerBaseline')], [t]);
  const drawHour = useCallback((m: Charts, el: HTMLElement) => m.drawActivity(el, { title: hourTitle, eventsLabel, customersLabel, buckets: hours }), [hourTitle, eventsLabel, customersLabel, hours]);
  const drawDay = useCallback((m: Charts, el: HTMLElement) => m.drawActivity(el, { title: dayTitle, eventsLabel, customersLabel, buckets: days }), [dayTitle, eventsLabel, customersLabel, days]);
  const againstRows = useMemo(() => (against === null ? [] : against.customers.map((n, i) => [dayLabel(against.from, i), n, against.baseline, against.peers.customers[i] ?? 0] as const)), [against]);
  const drawAgainst = useCallback(
    (m: Charts, el: HTMLElement) =>
      m.drawAgainst(el, {
        title: againstTitle,
        labels: againstRows.map((r) => r[0]),
        series: againstNames.map((name, k) => ({ name, data: againstRows.map((r) => r[k + 1] as number) })),
      }),
    [againstTitle, againstNames, againstRows],
  );
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
        <Chart id="chart-hour" title={hourTitle} draw={drawHour} columns={[hourTitle, eventsLabel, customersLabel]} rows={hours.map((b) => [b.label, b.events, b.customers])} />
        <Chart id="chart-day" title={dayTitle} draw={drawDay} columns={[dayTitle, eventsLabel, customersLabel]} rows={days.map((b) => [b.label, b.events, b.customers])} />
        {against !== null ? (
          <>
            <Chart id="chart-against" title={againstTitle} draw={drawAgainst} columns={[t('person.dayUtc'), ...againstNames]} rows={againstRows} />
            <p className="hint">{t('person.againstHint', { department: against.department, role: against.role, n: against.peers.size, sampled: against.peers.sampled })}</p>
          </>
        ) : null}
      </div>
      <h2>{t('person.mix')}</h2>
      <div className="mix">
        <Counts title={t('person.fields')} rows={mix.fields} label={(f) => (FIELD_LABELS[f] !== undefined ? t(FIELD_LABELS[f]) : f)} />
        <Counts title={t('person.ips')} rows={mix.ips} />
        <Counts title={t('person.devices')} rows={mix.devices} />
        <Counts title={t('person.tickets')} rows={mix.tickets} />
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

type Charts = typeof ChartsModule;

/** One ECharts chart (the library is fetched when the first chart opens) with its data as a table for screen readers. */
function Chart(props: { readonly id: string; readonly title: string; readonly draw: (m: Charts, el: HTMLElement) => () => void; readonly columns: readonly string[]; readonly rows: readonly (readonly (string | number)[])[] }): ReactNode {
  const { t } = useLang();
  const ref = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const { draw } = props;
  useEffect(() => {
    let dispose: (() => void) | undefined;
    let live = true;
    import('../../lib/charts.js')
      .then((m) => {
        if (live && ref.current !== null) dispose = draw(m, ref.current);
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
      dispose?.();
    };
  }, [draw]);
  return (
    <figure className="chart-figure">
      <div id={props.id} ref={ref} className="chart" role="img" aria-label={props.title} />
      {failed ? <p className="error">{t('person.chartFailed')}</p> : null}
      <details>
        <summary>{t('person.dataTable')}</summary>
        <table className="data">
          <thead>
            <tr>
              {props.columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr key={String(r[0])}>
                {r.map((v, i) => (
                  <td key={i}>{v}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** A small table of counts, most first. */
function Counts({ title, rows, label }: { readonly title: string; readonly rows: readonly (readonly [string, number])[]; readonly label?: (k: string) => string }): ReactNode {
  const { t } = useLang();
  return (
    <table className="data counts">
      <caption>{title}</caption>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td>{t('person.noneSeen')}</td>
          </tr>
        ) : (
          rows.slice(0, 10).map(([k, n]) => (
            <tr key={k}>
              <th scope="row">{label === undefined ? k : label(k)}</th>
              <td>{n}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

/** The UTC day `i` days after `from` (the risk API counts whole UTC days). */
function dayLabel(from: string, i: number): string {
  return new Date(Date.parse(from) + i * 86_400_000).toISOString().slice(0, 10);
}
