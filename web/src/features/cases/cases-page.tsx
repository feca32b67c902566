import { useEffect, useState, type ReactNode } from 'react';
import { api, CASE_STATUSES, query, type CaseStatus, type CaseSummary } from '../../lib/api.js';
import { formatTime, useLang } from '../../lib/i18n.js';
import { href } from '../../lib/route.js';
import { ErrorNote, PageTitle, Select } from '../../lib/ui.js';
import { CASE_STATUS_LABELS } from './labels.js';

/** The cases (GET /api/v1/cases), newest first, and the way to a new complaint. */
export function CasesPage(): ReactNode {
  const { t, lang } = useLang();
  const [status, setStatus] = useState<CaseStatus | ''>('');
  const [items, setItems] = useState<readonly CaseSummary[] | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    let live = true;
    api<{ items: CaseSummary[] }>('GET', `/api/v1/cases${query({ status, limit: 100 })}`).then((r) => live && setItems(r.items), (err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [status]);
  return (
    <section>
      <PageTitle>{t('cases.title')}</PageTitle>
      <p>
        <a className="button" href={href('security', 'cases', 'new')}>
          {t('cases.newComplaint')}
        </a>
      </p>
      <form className="inline" aria-label={t('cases.filter')} onSubmit={(e) => e.preventDefault()}>
        <Select<CaseStatus | ''> label={t('alerts.status')} name="status" value={status} options={[{ value: '', label: t('common.all') }, ...CASE_STATUSES.map((s) => ({ value: s, label: t(CASE_STATUS_LABELS[s]) }))]} onChange={setStatus} />
      </form>
      <ErrorNote error={error} />
      {items === null ? (
        error === undefined ? <p aria-busy="true">{t('app.loading')}</p> : null
      ) : items.length === 0 ? (
        <p>{t('cases.none')}</p>
      ) : (
        <table className="data cases">
          <caption>{t('cases.caption', { n: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('cases.case')}</th>
              <th scope="col">{t('alerts.status')}</th>
              <th scope="col">{t('cases.source')}</th>
              <th scope="col">{t('cases.people')}</th>
              <th scope="col">{t('cases.opened')}</th>
              <th scope="col">{t('cases.assignee')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id} data-case={c.id}>
                <td>
                  <a href={href('security', 'cases', c.id)}>{c.id}</a>
                </td>
                <td>{t(CASE_STATUS_LABELS[c.status])}</td>
                <td>{c.source}</td>
                <td>{c.subjects.length}</td>
                <td>{formatTime(lang, c.openedAt)}</td>
                <td>{c.assignee ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
