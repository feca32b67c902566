import { useEffect, useState, type ReactNode } from 'react';
import { api, query, type Heatmap } from '../../lib/api.js';
import { useLang, type MessageKey } from '../../lib/i18n.js';
import { ErrorNote, PageTitle, Select } from '../../lib/ui.js';

const DAYS: readonly MessageKey[] = ['weekday.mon', 'weekday.tue', 'weekday.wed', 'weekday.thu', 'weekday.fri', 'weekday.sat', 'weekday.sun'];
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const WINDOWS = ['7', '28', '90'] as const;

/** Six shades: 0 is empty, 1–5 by the cell's share of the busiest cell. */
const level = (n: number, max: number): number => (n === 0 ? 0 : Math.min(5, 1 + Math.floor((n / max) * 4.999)));

/** A department's ledger entries by weekday and hour (GET /api/v1/risk/heatmap), in this browser's time zone. */
export function HeatmapPage(): ReactNode {
  const { t } = useLang();
  const [departments, setDepartments] = useState<readonly { department: string; people: number }[] | null>(null);
  const [department, setDepartment] = useState('');
  const [days, setDays] = useState<(typeof WINDOWS)[number]>('28');
  const [map, setMap] = useState<Heatmap | null>(null);
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => {
    api<{ items: { department: string; people: number }[] }>('GET', '/api/v1/risk/departments').then((r) => {
      setDepartments(r.items);
      setDepartment((d) => (d === '' ? (r.items[0]?.department ?? '') : d));
    }, setError);
  }, []);
  useEffect(() => {
    if (department === '') return undefined;
    let live = true;
    setMap(null);
    setError(undefined);
    const tzOffset = -new Date().getTimezoneOffset();
    api<Heatmap>('GET', `/api/v1/risk/heatmap${query({ department, days, tzOffset })}`).then((m) => live && setMap(m), (err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [department, days]);

  const max = map === null ? 1 : Math.max(1, ...map.cells.flat());
  return (
    <section>
      <PageTitle>{t('heatmap.title')}</PageTitle>
      <form className="inline" aria-label={t('heatmap.title')} onSubmit={(e) => e.preventDefault()}>
        <Select<string> label={t('heatmap.department')} name="department" value={department} options={(departments ?? []).map((d) => ({ value: d.department, label: t('heatmap.departmentOption', { name: d.department, n: d.people }) }))} onChange={setDepartment} />
        <Select<(typeof WINDOWS)[number]> label={t('risk.window')} name="days" value={days} options={WINDOWS.map((d) => ({ value: d, label: t('risk.days', { n: d }) }))} onChange={setDays} />
      </form>
      <ErrorNote error={error} />
      {map === null ? (
        error === undefined ? <p aria-busy="true">{t('app.loading')}</p> : null
      ) : (
        <>
          <p className="summary">{t('heatmap.summary', { n: map.entries, people: map.people, days: map.days })}</p>
          {map.truncated ? <p className="hint">{t('heatmap.truncated')}</p> : null}
          <div className="heatmap-wrap">
            <table className="heatmap" id="heatmap">
              <caption className="sr-only">{t('heatmap.caption', { department: map.department })}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <span className="sr-only">{t('heatmap.day')}</span>
                  </th>
                  {HOURS.map((h) => (
                    <th key={h} scope="col">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {map.cells.map((row, d) => (
                  <tr key={d}>
                    <th scope="row">{t(DAYS[d]!)}</th>
                    {row.map((n, h) => (
                      <td key={h} className={`heat-${level(n, max)}`} title={t('heatmap.cell', { day: t(DAYS[d]!), hour: h, n })}>
                        <span className="sr-only">{n}</span>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="hint">{t('heatmap.legend')}</p>
        </>
      )}
    </section>
  );
}
