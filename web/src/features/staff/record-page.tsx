import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, type AccessRequest, type MaskReason, type RecordView, type Revealed, type Watermark } from '../../lib/api.js';
import { useLang, type Lang, type MessageKey, type Translate } from '../../lib/i18n.js';
import { href } from '../../lib/route.js';
import { ErrorNote, Field, PageTitle, Select } from '../../lib/ui.js';
import { FIELD_LABELS } from './fields.js';
import { PURPOSE_LABELS, purposesFor } from '../requests/purposes.js';

/** The reasons a policy gives for a mask, by code; shown in Chinese by code and field, in English as the server wrote them. */
const MASK_REASON_KEYS: Readonly<Record<string, MessageKey>> = {
  CUSTOS_APPROVAL_REQUIRED: 'maskReason.approval',
  CUSTOS_FIELD_FORBIDDEN: 'maskReason.forbidden',
  CUSTOS_TICKET_REQUIRED: 'maskReason.ticket',
  CUSTOS_BREAK_GLASS_ONLY: 'maskReason.breakGlass',
  CUSTOS_PURPOSE_NOT_ALLOWED: 'maskReason.purpose',
  CUSTOS_REVEAL_ALLOWED: 'maskReason.revealAllowed',
};

/** Why a field is masked, in the UI language; a generic reason while the server sends none. */
export function maskReasonText(lang: Lang, t: Translate, fieldLabel: string, reason: MaskReason | undefined): string {
  if (reason === undefined) return t('maskReason.default');
  if (lang === 'en') return reason.reason;
  const key = MASK_REASON_KEYS[reason.code];
  return key === undefined ? t('maskReason.default') : t(key, { field: fieldLabel });
}

/** One customer record, masked as the server decided, with why each field is masked; reveal with a purpose and a ticket, or ask for approval. */
export function RecordPage({ id, role, onData }: { readonly id: string; readonly role: string; readonly onData: (d: { readonly watermark?: Watermark }) => void }): ReactNode {
  const { t, lang } = useLang();
  const [record, setRecord] = useState<RecordView | null>(null);
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => {
    let live = true;
    api<RecordView>('GET', `/api/v1/subjects/${encodeURIComponent(id)}`)
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
  const onRevealed = (r: Revealed): void => {
    setRevealed((prev) => (prev === null ? r : { ...r, fields: { ...prev.fields, ...r.fields }, basis: { ...prev.basis, ...r.basis } }));
    onData(r);
  };

  const stillMasked = record === null ? [] : record.masked.filter((f) => revealed?.fields[f] === undefined);
  const watermark = revealed?.watermark ?? record?.watermark;

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
                <th scope="col">{t('record.why')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(record.fields).map(([field, value]) => {
                const open = revealed?.fields[field];
                const masked = open === undefined && record.masked.includes(field);
                return (
                  <tr key={field} data-field={field}>
                    <th scope="row">{label(field)}</th>
                    {/* Rendered as text: the invisible view marks in the value stay in (docs/marks.md). */}
                    <td className={masked ? 'masked' : open !== undefined ? 'revealed' : undefined}>{String(open ?? value)}</td>
                    <td>
                      {masked ? (
                        <span className="badge masked-badge">{t('record.masked')}</span>
                      ) : open !== undefined ? (
                        <span className="badge revealed-badge">{t('record.revealed')}</span>
                      ) : (
                        <span className="badge">{t('record.shown')}</span>
                      )}
                    </td>
                    <td className="why">
                      {masked ? maskReasonText(lang, t, label(field), record.maskReasons?.[field]) : open !== undefined ? t('record.basis', { basis: revealed?.basis[field] ?? '' }) : ''}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {watermark !== undefined ? <p className="hint">{t('record.viewCode', { code: watermark.viewCode })}</p> : null}
          {stillMasked.length > 0 ? <RevealForms id={id} role={role} masked={stillMasked} label={label} onRevealed={onRevealed} /> : null}
        </>
      )}
    </section>
  );
}

/** Reveal masked fields now (purpose and ticket), or ask for an approval that someone else decides. */
function RevealForms(props: { readonly id: string; readonly role: string; readonly masked: readonly string[]; readonly label: (f: string) => string; readonly onRevealed: (r: Revealed) => void }): ReactNode {
  const { t } = useLang();
  const purposes = purposesFor(props.role);
  const [fields, setFields] = useState<readonly string[]>([]);
  const [purpose, setPurpose] = useState<string>(purposes[0] ?? '');
  const [ticket, setTicket] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [requestError, setRequestError] = useState<unknown>(undefined);
  const [requested, setRequested] = useState<AccessRequest | null>(null);
  const [busy, setBusy] = useState(false);
  const legendId = useId();
  const chosen = fields.filter((f) => props.masked.includes(f));
  const needsApproval = error instanceof ApiError && (error.code === 'CUSTOS_APPROVAL_REQUIRED' || error.code === 'CUSTOS_TICKET_REQUIRED');

  const toggle = (f: string, on: boolean): void => setFields((prev) => (on ? [...prev.filter((x) => x !== f), f] : prev.filter((x) => x !== f)));
  const body = () => ({ fields: chosen, purpose, ...(ticket.trim() !== '' ? { ticket: ticket.trim() } : {}) });

  const reveal = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    if (chosen.length === 0) return setError(new ApiError('CUSTOS_BAD_REQUEST', t('reveal.pickField'), 400));
    setBusy(true);
    try {
      const r = await api<Revealed>('POST', `/api/v1/subjects/${encodeURIComponent(props.id)}/reveal`, body());
      props.onRevealed(r);
      setFields([]);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const request = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setRequestError(undefined);
    if (chosen.length === 0) return setRequestError(new ApiError('CUSTOS_BAD_REQUEST', t('reveal.pickField'), 400));
    setBusy(true);
    try {
      setRequested(await api<AccessRequest>('POST', '/api/v1/access-requests', { subjects: [props.id], ...body(), reason }));
      setReason('');
    } catch (err) {
      setRequestError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card reveal">
      <h2>{t('reveal.title')}</h2>
      <form onSubmit={(e) => void reveal(e)} aria-label={t('reveal.title')}>
        <fieldset aria-labelledby={legendId}>
          <legend id={legendId}>{t('reveal.fields')}</legend>
          {props.masked.map((f) => (
            <label key={f} className="check">
              <input type="checkbox" name="fields" value={f} checked={chosen.includes(f)} onChange={(e) => toggle(f, e.target.checked)} /> {props.label(f)}
            </label>
          ))}
        </fieldset>
        <div className="inline-fields">
          <Select<string> label={t('reveal.purpose')} name="purpose" value={purpose} options={purposes.map((p) => ({ value: p, label: PURPOSE_LABELS[p] !== undefined ? t(PURPOSE_LABELS[p]) : p }))} onChange={setPurpose} />
          <Field label={t('reveal.ticket')} name="ticket" value={ticket} onChange={setTicket} maxLength={128} />
        </div>
        <p className="hint">{t('reveal.hint')}</p>
        <button type="submit" disabled={busy}>
          {t('reveal.submit')}
        </button>
      </form>
      <ErrorNote error={error} />
      <h3>{t('request.title')}</h3>
      <p className="hint">{needsApproval ? t('request.afterRefusal') : t('request.hint')}</p>
      <form onSubmit={(e) => void request(e)} aria-label={t('request.title')}>
        <Field label={t('request.reason')} name="reason" value={reason} onChange={setReason} required minLength={5} maxLength={1000} />
        <button type="submit" disabled={busy}>
          {t('request.submit')}
        </button>
      </form>
      <ErrorNote error={requestError} />
      {requested !== null ? (
        <p role="status">
          {t('request.sent', { id: requested.id })} <a href={href('requests')}>{t('nav.requests')}</a>
        </p>
      ) : null}
    </div>
  );
}
