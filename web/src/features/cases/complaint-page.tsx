import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError } from '../../lib/api.js';
import { useLang } from '../../lib/i18n.js';
import { go, href } from '../../lib/route.js';
import { ErrorNote, Field, PageTitle, Select, TextArea } from '../../lib/ui.js';
import { FIELD_LABELS } from '../staff/fields.js';
import { CHANNEL_LABELS, CHANNELS, IDENTIFIERS, type Channel } from './labels.js';

const CUSTOMER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A complaint opens a case (POST /api/v1/complaints). The people concerned are given by customer id (looked
 * up by staff who may see them): no name, phone or ID number is typed here, so none ends up in the case.
 */
export function ComplaintPage(): ReactNode {
  const { t } = useLang();
  const [subjects, setSubjects] = useState('');
  const [channel, setChannel] = useState<Channel>('phone');
  const [description, setDescription] = useState('');
  const [identifiers, setIdentifiers] = useState<readonly string[]>([]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const legendId = useId();

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    const ids = subjects.split(/[\s,，;；]+/).filter((s) => s !== '');
    if (ids.length === 0 || ids.length > 50 || !ids.every((s) => CUSTOMER_ID.test(s))) return setError(new ApiError('CUSTOS_BAD_REQUEST', t('complaint.badIds'), 400));
    setBusy(true);
    try {
      const day = (d: string, end: boolean): string => new Date(`${d}T${end ? '23:59:59' : '00:00:00'}`).toISOString();
      const { caseId } = await api<{ caseId: string }>('POST', '/api/v1/complaints', {
        subjects: ids,
        channel,
        description,
        identifiers,
        ...(from !== '' ? { from: day(from, false) } : {}),
        ...(to !== '' ? { to: day(to, true) } : {}),
      });
      go('security', 'cases', caseId);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <p>
        <a href={href('security', 'cases')}>{t('cases.back')}</a>
      </p>
      <PageTitle>{t('complaint.title')}</PageTitle>
      <form className="card" onSubmit={(e) => void submit(e)} aria-label={t('complaint.title')}>
        <Field label={t('complaint.subjects')} name="subjects" value={subjects} onChange={setSubjects} required maxLength={3400} />
        <p className="hint">{t('complaint.subjectsHint')}</p>
        <Select<Channel> label={t('complaint.channel')} name="channel" value={channel} options={CHANNELS.map((c) => ({ value: c, label: t(CHANNEL_LABELS[c]) }))} onChange={setChannel} />
        <TextArea label={t('complaint.description')} name="description" value={description} onChange={setDescription} required minLength={3} maxLength={4000} />
        <p className="hint">{t('complaint.descriptionHint')}</p>
        <fieldset aria-labelledby={legendId}>
          <legend id={legendId}>{t('complaint.identifiers')}</legend>
          {IDENTIFIERS.map((f) => (
            <label key={f} className="check">
              <input type="checkbox" name="identifiers" value={f} checked={identifiers.includes(f)} onChange={(e) => setIdentifiers((prev) => (e.target.checked ? [...prev, f] : prev.filter((x) => x !== f)))} />{' '}
              {FIELD_LABELS[f] !== undefined ? t(FIELD_LABELS[f]) : f}
            </label>
          ))}
        </fieldset>
        <div className="inline-fields">
          <Field label={t('complaint.from')} name="from" type="date" value={from} onChange={setFrom} />
          <Field label={t('complaint.to')} name="to" type="date" value={to} onChange={setTo} />
        </div>
        <p className="hint">{t('complaint.windowHint')}</p>
        <button type="submit" disabled={busy}>
          {t('complaint.submit')}
        </button>
      </form>
      <ErrorNote error={error} />
    </section>
  );
}
