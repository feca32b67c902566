import { useEffect, useState, type ReactNode } from 'react';
import { api, query, type BoardPerson, type RiskBoard } from '../../lib/api.js';
import { useLang } from '../../lib/i18n.js';
import { href } from '../../lib/route.js';
import { ErrorNote, PageTitle, Select } from '../../lib/ui.js';
import { SEVERITY_LABELS } from './labels.js';

const WINDOWS = ['7', '14', '30'] as const;

/**
 * The risk board (GET /api/v1/risk/board): people ranked by the risk of their alerts, each with a sparkline of
 * their ledger entries per day and how they compare with their peer group (same department and role).
 */
export function RiskPage(): ReactNode {
  const { t } = useLang();
  const [days, setDays] = useState<(typeof WINDOWS)[number]>('14');
  const [board, setBoard] = useState<RiskBoard | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    let live = true;
    setBoard(null);
    api<RiskBoard>('GET', `/api/v1/risk/board${query({ days, limit: 30 })}`).then((b) => live && setBoard(b), (err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [days]);
  return (
    <section>
      <PageTitle>{t('risk.title')}</PageTitle>
      <form className="inline" aria-label={t('risk.window')} onSubmit={(e) => e.preventDefault()}>
        <Select<(typeof WINDOWS)[number]> label={t('risk.window')} name="days" value={days} options={WINDOWS.map((d) => ({ value: d, label: t('risk.days', { n: d }) }))} onChange={setDays} />
      </form>
      <p className="hint">{t('risk.how', { half: board?.halfLifeDays ?? 7 })}</p>
      <ErrorNote error={error} />
      {board === null ? (
        error === undefined ? <p aria-busy="true">{t('app.loading')}</p> : null
      ) : board.people.length === 0 ? (
        <p>{t('risk.none')}</p>
      ) : (
        <table className="data risk">
          <caption>{t('risk.caption', { n: board.people.length, days: board.days })}</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('alerts.person')}</th>
              <th scope="col">{t('risk.group')}</th>
              <th scope="col">{t('risk.risk')}</th>
              <th scope="col">{t('risk.alerts')}</th>
              <th scope="col">{t('risk.activity')}</th>
              <th scope="col">{t('risk.vsPeers')}</th>
            </tr>
          </thead>
          <tbody>
            {board.people.map((p, i) => (
              <tr key={p.staffId} data-person={p.staffId}>
                <td>{i + 1}</td>
                <td>
                  <a href={href('security', 'people', p.staffId)}>{p.staffId}</a>
                  {p.holds.length > 0 ? <div className="hint">{p.holds.map((h) => t(h === 'suspend' ? 'holds.suspend' : 'holds.throttle')).join(t('common.listSep'))}</div> : null}
                </td>
                <td>
                  {p.department ?? '–'}
                  <div className="hint">{p.role ?? ''}</div>
                </td>
                <td>
                  <strong>{p.risk.toFixed(1)}</strong>
                  {p.topSeverity !== null ? (
                    <>
                      {' '}
                      <span className={`sev sev-${p.topSeverity}`}>{t(SEVERITY_LABELS[p.topSeverity])}</span>
                    </>
                  ) : null}
                </td>
                <td>{t('risk.alertCount', { n: p.alerts, open: p.openAlerts })}</td>
                <td>
                  <Sparkline values={p.daily} label={t('risk.sparkline', { id: p.staffId, values: p.daily.join(t('common.listSep')) })} />
                  <div className="hint">{t('risk.perDay', { n: p.perDay, customers: p.customers })}</div>
                </td>
                <td>
                  <PeerCell person={p} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function PeerCell({ person: p }: { readonly person: BoardPerson }): ReactNode {
  const { t } = useLang();
  if (p.peers === null || p.peers.size === 0) return <>{t('risk.noPeers')}</>;
  const ratio = p.peers.ratio;
  return (
    <>
      <span className={ratio !== null && ratio >= 3 ? 'badge bad' : 'badge'}>{ratio === null ? t('risk.peersIdle') : t('risk.ratio', { ratio })}</span>
      <div className="hint">{t('risk.peers', { n: p.peers.size, perDay: p.peers.perDayMedian, risk: p.peers.riskMedian })}</div>
    </>
  );
}

/** A small line of daily counts (SVG, no library); its numbers are in its accessible name. */
export function Sparkline({ values, label }: { readonly values: readonly number[]; readonly label: string }): ReactNode {
  const width = 120;
  const height = 28;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`).join(' ');
  const last = values.length - 1;
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <polyline points={points} fill="none" stroke="#3b6fb6" strokeWidth="1.5" />
      {last >= 0 ? <circle cx={last * step} cy={height - 2 - ((values[last] ?? 0) / max) * (height - 4)} r="2.5" fill="#c2410c" /> : null}
    </svg>
  );
}
