import { useEffect, useState, type ReactNode } from 'react';
import { api, type SubjectView, type Watermark } from '../../lib/api.js';
import { useT } from '../../lib/i18n.js';
import { href } from '../../lib/route.js';
import { ErrorNote, PageTitle } from '../../lib/ui.js';
import { FIELD_LABELS } from './fields.js';

/** One customer record, masked as the server decided; says which fields are masked. */
export function RecordPage({ id, onData }: { readonly id: string; readonly onData: (d: { readonly watermark?: Watermark }) => void }): ReactNode {
  const t = useT();
  const [record, setRecord] = useState<(SubjectView & { readonly watermark?: Watermark }) | null>(null);
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => {
    let live = true;
    api<SubjectView & { readonly watermark?: Watermark }>('GET', `/api/v1/subjects/${encodeURIComponent(id)}`)
      .then((r) => {
        if (!live) return;
        setRecord(r);
        onData(r);
      })
      .catch((err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [id, onData]);

  const label = (field: string): string => {
    const key = FIELD_LABELS[field];
    return key === undefined ? field : t(key);
  };

  return (
    <section>
      <p>
        <a href={href('search')}>{t('record.back')}</a>
      </p>
      <PageTitle>{t('record.title', { id })}</PageTitle>
      <ErrorNote error={error} />
      {record === null ? (
        error === undefined ? <p aria-busy="true">{t('app.loading')}</p> : null
      ) : (
        <>
          <p className="summary">
            {record.masked.length === 0
              ? t('record.noneMasked')
              : t('record.maskedSummary', { n: record.masked.length, total: Object.keys(record.fields).length, fields: record.masked.map(label).join(t('common.listSep')) })}
          </p>
          <table className="data record">
            <caption className="sr-only">{t('record.title', { id })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('record.field')}</th>
                <th scope="col">{t('record.value')}</th>
                <th scope="col">{t('record.state')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(record.fields).map(([field, value]) => {
                const masked = record.masked.includes(field);
                return (
                  <tr key={field} data-field={field}>
                    <th scope="row">{label(field)}</th>
                    {/* Rendered as text: the invisible view marks in the value stay in (docs/marks.md). */}
                    <td className={masked ? 'masked' : undefined}>{String(value)}</td>
                    <td>{masked ? <span className="badge masked-badge">{t('record.masked')}</span> : <span className="badge">{t('record.shown')}</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="hint">{t('record.maskNote')}</p>
          {record.watermark !== undefined ? <p className="hint">{t('record.viewCode', { code: record.watermark.viewCode })}</p> : null}
          <p className="hint">
            <a href={href('requests')}>{t('record.revealLater')}</a>
          </p>
        </>
      )}
    </section>
  );
}
