import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, type TraceResult } from '../../lib/api.js';
import { useLang } from '../../lib/i18n.js';
import { ErrorNote, PageTitle } from '../../lib/ui.js';
import { useAction } from '../../lib/use-action.js';
import { LeakAttribution } from './leak-attribution.js';

const MAX_BYTES = 10 * 1024 * 1024;

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** A leaked CSV or XLSX traced to the approved export it came from (POST /api/v1/trace/file). The file stays in memory. */
export function TracePage(): ReactNode {
  const { t } = useLang();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<TraceResult | null>(null);
  const { busy, error, fail, run } = useAction();

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setResult(null);
    if (file === null) return;
    if (file.size > MAX_BYTES) return fail(new ApiError('CUSTOS_TRACE_FILE_TOO_LARGE', t('trace.tooLarge'), 400));
    await run(async () => {
      const content = base64(new Uint8Array(await file.arrayBuffer()));
      setResult(await api<TraceResult>('POST', '/api/v1/trace/file', { filename: file.name.slice(-255), content }));
    });
  };

  return (
    <section>
      <PageTitle>{t('trace.title')}</PageTitle>
      <form className="inline" onSubmit={(e) => void submit(e)} aria-label={t('trace.title')}>
        <div className="field">
          <label htmlFor={inputId}>{t('trace.file')}</label>
          <input id={inputId} name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        <button type="submit" disabled={busy || file === null}>
          {t('trace.submit')}
        </button>
      </form>
      <p className="hint">{t('trace.hint')}</p>
      <ErrorNote error={error} />
      {busy ? <p aria-busy="true">{t('trace.working')}</p> : null}
      {result !== null ? (
        <div aria-live="polite">
          <p className="summary">{t('trace.summary', { rows: result.rows, resolved: result.resolved, columns: result.columns.filter((c) => c !== '').join(t('common.listSep')) })}</p>
          {result.exports.length === 0 ? (
            <p>{t('trace.none')}</p>
          ) : (
            <table className="data trace">
              <caption>{t('trace.caption', { n: result.exports.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">{t('trace.export')}</th>
                  <th scope="col">{t('trace.recipient')}</th>
                  <th scope="col">{t('trace.rows')}</th>
                  <th scope="col">{t('trace.agreeing')}</th>
                  <th scope="col">{t('trace.confidence')}</th>
                </tr>
              </thead>
              <tbody>
                {result.exports.map((m, i) => (
                  <tr key={m.exportId} data-export={m.exportId}>
                    <td>{i + 1}</td>
                    <td>
                      <code>{m.exportId}</code>
                    </td>
                    <td>{m.recipient}</td>
                    <td>{m.rows}</td>
                    <td>{t('trace.agreeingOf', { agreeing: m.agreeing, compared: m.compared })}</td>
                    <td>
                      <span className={m.confidence > 0.99 ? 'badge bad' : 'badge'}>{m.confidence >= 0.9999 ? '> 99.99%' : `${(m.confidence * 100).toFixed(2)}%`}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ) : null}
      <LeakAttribution />
    </section>
  );
}
