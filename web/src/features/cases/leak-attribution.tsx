import { useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, type LeakRanking } from '../../lib/api.js';
import { useLang } from '../../lib/i18n.js';
import { href } from '../../lib/route.js';
import { ErrorNote, Field, TextArea } from '../../lib/ui.js';
import { CUSTOMER_ID, customerIds, idListChars } from '../../lib/customer-ids.js';
import { useAction } from '../../lib/use-action.js';

const MAX_SUBJECTS = 5000;

const percent = (p: number): string => (p >= 0.9999 ? '> 99.99%' : p < 0.0001 && p > 0 ? '< 0.01%' : `${(p * 100).toFixed(2)}%`);

/**
 * Who could have leaked a list of customers (POST /api/v1/trace/leak): the people and exports that were shown
 * them, ranked by likelihood against "from outside". Customer ids only (as a complaint or the police give them);
 * for a leaked file, the upload above.
 */
export function LeakAttribution(): ReactNode {
  const { t } = useLang();
  const [ids, setIds] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [result, setResult] = useState<LeakRanking | null>(null);
  const { busy, error, fail, run } = useAction();

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setResult(null);
    const subjects = customerIds(ids);
    if (subjects.some((s) => !CUSTOMER_ID.test(s))) return fail(new ApiError('CUSTOS_BAD_REQUEST', t('leak.badId'), 400));
    if (subjects.length === 0 || subjects.length > MAX_SUBJECTS) return fail(new ApiError('CUSTOS_BAD_REQUEST', t('leak.count', { max: MAX_SUBJECTS }), 400));
    const body = { subjects, limit: 10, ...(from !== '' ? { from: new Date(from).toISOString() } : {}), ...(to !== '' ? { to: new Date(to).toISOString() } : {}) };
    await run(async () => setResult(await api<LeakRanking>('POST', '/api/v1/trace/leak', body)));
  };

  return (
    <>
      <h2>{t('leak.title')}</h2>
      <p className="hint">{t('leak.hint')}</p>
      <form onSubmit={(e) => void submit(e)} aria-label={t('leak.title')}>
        <TextArea label={t('leak.ids')} name="subjects" value={ids} onChange={setIds} required maxLength={idListChars(5000)} rows={3} />
        <div className="inline-fields">
          <Field label={t('leak.from')} name="from" type="datetime-local" value={from} onChange={setFrom} maxLength={20} />
          <Field label={t('leak.to')} name="to" type="datetime-local" value={to} onChange={setTo} maxLength={20} />
        </div>
        <button type="submit" disabled={busy}>
          {t('leak.submit')}
        </button>
      </form>
      <ErrorNote error={error} />
      {busy ? <p aria-busy="true">{t('trace.working')}</p> : null}
      {result !== null ? (
        <div aria-live="polite">
          <p className="summary" id="leak-summary">
            {t('leak.summary', { subjects: result.subjects, customers: result.customers, outside: percent(result.outside) })}
            {result.canaries.length > 0 ? ` ${t('leak.canaries', { ids: result.canaries.join(t('common.listSep')) })}` : ''}
          </p>
          {result.suspects.length === 0 ? (
            <p>{t('leak.none')}</p>
          ) : (
            <table className="data leak">
              <caption>{t('leak.caption', { n: result.suspects.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('leak.who')}</th>
                  <th scope="col">{t('leak.probability')}</th>
                  <th scope="col">{t('leak.covered')}</th>
                  <th scope="col">{t('leak.onlyThem')}</th>
                  <th scope="col">{t('case.reasons')}</th>
                </tr>
              </thead>
              <tbody>
                {result.suspects.map((x) => (
                  <tr key={`${x.kind}:${x.exportId ?? x.actor}`} data-suspect={x.actor} data-export={x.exportId}>
                    <td>{x.rank}</td>
                    <td>
                      <a href={href('security', 'people', x.actor)}>{x.actor}</a>
                      {x.exportId !== undefined ? (
                        <div className="hint">
                          {t('leak.viaExport')} <code>{x.exportId}</code>
                        </div>
                      ) : null}
                    </td>
                    <td>
                      <span className={x.probability > 0.9 ? 'badge bad' : 'badge'}>{percent(x.probability)}</span>
                    </td>
                    <td>{t('leak.coveredOf', { covered: x.covered, subjects: result.subjects, breadth: x.breadth })}</td>
                    <td>{x.onlyThem}</td>
                    <td>
                      <ul className="reasons" lang="en">
                        {x.reasons.map((r) => (
                          <li key={r}>{r}</li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ) : null}
    </>
  );
}
