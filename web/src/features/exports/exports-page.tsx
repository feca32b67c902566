import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, type AccessRequest, type Me } from '../../lib/api.js';
import { useLang } from '../../lib/i18n.js';
import { ErrorNote, PageTitle, Select, TextArea } from '../../lib/ui.js';
import { CUSTOMER_ID, customerIds, idListChars } from '../../lib/customer-ids.js';
import { PURPOSE_LABELS, purposesFor } from '../requests/purposes.js';
import { MyRequestsTable } from '../requests/requests-table.js';
import { FIELD_LABELS } from '../staff/fields.js';

type Records = 'assigned' | 'list';
type Format = 'csv' | 'xlsx';

/**
 * Exports (POST /api/v1/exports): ask for an export of my assigned customers or a list of ids, with the fields, the
 * purpose and why, within the hard ceiling on rows; my export requests and their state; the download once approved
 * (until the approval ends). Every request waits for an approver; the file is fingerprinted for its recipient.
 */
export function ExportsPage({ me }: { readonly me: Me }): ReactNode {
  const { t } = useLang();
  const max = me.limits?.exportMaxRows ?? null;
  const purposes = purposesFor(me.role);
  const [records, setRecords] = useState<Records>('assigned');
  const [list, setList] = useState('');
  const [fields, setFields] = useState<readonly string[]>(['name', 'mobile']);
  const [purpose, setPurpose] = useState(purposes[0] ?? '');
  const [reason, setReason] = useState('');
  const [format, setFormat] = useState<Format>('csv');
  const [items, setItems] = useState<readonly AccessRequest[] | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [listError, setListError] = useState<unknown>(undefined);
  const [made, setMade] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    api<{ items: AccessRequest[] }>('GET', '/api/v1/access-requests?scope=mine&kind=export&limit=200').then((r) => setItems(r.items), setListError);
  }, []);
  useEffect(load, [load]);

  const ids = records === 'list' ? customerIds(list) : [];
  const bad = ids.find((s) => !CUSTOMER_ID.test(s));
  const tooMany = max !== null && ids.length > max;
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setError(undefined);
    setMade(null);
    if (fields.length === 0) return setError(new ApiError('CUSTOS_BAD_REQUEST', t('exports.noFields'), 400));
    if (records === 'list' && (ids.length === 0 || bad !== undefined || tooMany)) return setError(new ApiError('CUSTOS_BAD_REQUEST', t('exports.badList', { max: max ?? '–' }), 400));
    const body = { ...(records === 'assigned' ? { assigned: true } : { subjects: ids }), fields, purpose, reason, format };
    // One request per click: the button stays disabled until the answer (a double click made two requests).
    setBusy(true);
    api<AccessRequest>('POST', '/api/v1/exports', body)
      .then((r) => {
        setMade(t('exports.made', { id: r.id, n: r.subjectCount }));
        setReason('');
        load();
      }, setError)
      .finally(() => setBusy(false));
  };
  const toggle = (f: string, on: boolean): void => setFields(on ? [...fields, f] : fields.filter((x) => x !== f));

  return (
    <section>
      <PageTitle>{t('exports.title')}</PageTitle>
      <p className="hint">{t('exports.hint')}</p>
      <form onSubmit={submit} aria-label={t('exports.request')}>
        <fieldset>
          <legend>{t('exports.which')}</legend>
          <label className="check">
            <input type="radio" name="records" value="assigned" checked={records === 'assigned'} onChange={() => setRecords('assigned')} />
            {t('exports.assigned')}
          </label>
          <label className="check">
            <input type="radio" name="records" value="list" checked={records === 'list'} onChange={() => setRecords('list')} />
            {t('exports.list')}
          </label>
          {records === 'list' ? <TextArea label={t('exports.ids')} name="subjects" value={list} onChange={setList} required maxLength={idListChars(max ?? 10_000)} rows={3} /> : null}
          <p id="export-rows" className={tooMany || bad !== undefined ? 'error' : 'hint'} data-rows={records === 'list' ? ids.length : ''}>
            {records === 'assigned' ? t('exports.rowsAssigned', { max: max ?? '–' }) : bad !== undefined ? t('exports.badId') : t(tooMany ? 'exports.rowsOver' : 'exports.rows', { n: ids.length, max: max ?? '–' })}
          </p>
        </fieldset>
        <fieldset>
          <legend>{t('exports.fields')}</legend>
          {Object.entries(FIELD_LABELS).map(([f, label]) => (
            <label key={f} className="check">
              <input type="checkbox" name="fields" value={f} checked={fields.includes(f)} onChange={(e) => toggle(f, e.target.checked)} />
              {t(label)}
            </label>
          ))}
        </fieldset>
        <div className="inline-fields">
          <Select<string> label={t('reveal.purpose')} name="purpose" value={purpose} options={purposes.map((p) => ({ value: p, label: PURPOSE_LABELS[p] !== undefined ? t(PURPOSE_LABELS[p]) : p }))} onChange={setPurpose} />
          <Select<Format> label={t('exports.format')} name="format" value={format} options={[{ value: 'csv', label: 'CSV' }, { value: 'xlsx', label: 'XLSX' }]} onChange={setFormat} />
        </div>
        <TextArea label={t('exports.reason')} name="reason" value={reason} onChange={setReason} required minLength={5} maxLength={1000} rows={2} />
        <button type="submit" disabled={tooMany || busy}>
          {t('exports.submit')}
        </button>
        <span role="status">{made !== null ? ` ${made}` : ''}</span>
        <ErrorNote error={error} />
      </form>

      <h2>{t('exports.mine')}</h2>
      <ErrorNote error={listError} />
      {items === null ? (
        listError === undefined ? <p aria-busy="true">{t('app.loading')}</p> : null
      ) : items.length === 0 ? (
        <p>{t('exports.none')}</p>
      ) : (
        <MyRequestsTable items={items} className="exports" caption={t('exports.caption', { n: items.length })} />
      )}
    </section>
  );
}
