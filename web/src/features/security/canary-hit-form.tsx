import { useState, type FormEvent, type ReactNode } from 'react';
import { api, type CanaryHit, type CanaryHitCase } from '../../lib/api.js';
import { formatTime, useLang, type MessageKey } from '../../lib/i18n.js';
import { href } from '../../lib/route.js';
import { ErrorNote, Field, Select, TextArea } from '../../lib/ui.js';
import { useAction } from '../../lib/use-action.js';

const HIT_KINDS = ['phone', 'email', 'id_number', 'bank_card', 'name', 'address'] as const;
type HitKind = (typeof HIT_KINDS)[number];
const HIT_KIND_LABELS: Readonly<Record<HitKind, MessageKey>> = {
  phone: 'search.phone',
  email: 'hit.kind.email',
  id_number: 'search.idNumber',
  bank_card: 'hit.kind.bank_card',
  name: 'search.name',
  address: 'hit.kind.address',
};
const CHANNELS = ['call', 'sms', 'email', 'file', 'web', 'letter'] as const;
type HitChannel = (typeof CHANNELS)[number];

/** What the console shows of a hit, from either API. */
interface Shown {
  readonly canary: string;
  readonly audience: string;
  readonly shownTo: readonly { readonly actor: string; readonly events?: number; readonly first?: string }[];
  readonly export?: { readonly id: string; readonly recipient: string; readonly status: string };
  readonly alerts: readonly string[];
  readonly caseId?: string;
}

/**
 * Report a canary's value found outside (POST /api/v1/canaries/hits), or open a case from it at once
 * (POST /api/v1/cases/from-canary-hit): the canary it names, who was shown it, the critical alerts raised. The value
 * travels in the POST body only and is cleared from the form once sent.
 */
export function CanaryHitForm(): ReactNode {
  const { t, lang } = useLang();
  const [kind, setKind] = useState<HitKind>('phone');
  const [value, setValue] = useState('');
  const [channel, setChannel] = useState<HitChannel>('call');
  const [note, setNote] = useState('');
  const [openCase, setOpenCase] = useState(true);
  const [result, setResult] = useState<Shown | null>(null);
  const { busy, error, run } = useAction();

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setResult(null);
    const body = { kind, value, channel, ...(note.trim() !== '' ? { note } : {}) };
    await run(async () => {
      if (openCase) {
        const r = await api<CanaryHitCase>('POST', '/api/v1/cases/from-canary-hit', body);
        setResult({ canary: r.canary, audience: r.audience, shownTo: r.shownTo.map((actor) => ({ actor })), alerts: r.alerts, caseId: r.caseId, ...(r.export !== undefined ? { export: r.export } : {}) });
      } else {
        const r = await api<CanaryHit>('POST', '/api/v1/canaries/hits', body);
        setResult({ canary: r.canary.id, audience: r.canary.audience, shownTo: r.shownTo, alerts: r.alerts, ...(r.export !== undefined ? { export: r.export } : {}) });
      }
      setValue('');
      setNote('');
    });
  };

  return (
    <>
      <h2>{t('hit.title')}</h2>
      <p className="hint">{t('hit.hint')}</p>
      <form onSubmit={(e) => void submit(e)} aria-label={t('hit.title')}>
        <div className="inline-fields">
          <Select<HitKind> label={t('hit.kind')} name="hitKind" value={kind} options={HIT_KINDS.map((k) => ({ value: k, label: t(HIT_KIND_LABELS[k]) }))} onChange={setKind} />
          <Field label={t('hit.value')} name="value" value={value} onChange={setValue} required minLength={2} maxLength={256} />
          <Select<HitChannel> label={t('hit.channel')} name="channel" value={channel} options={CHANNELS.map((c) => ({ value: c, label: t(`hit.channel.${c}`) }))} onChange={setChannel} />
        </div>
        <TextArea label={t('hit.note')} name="note" value={note} onChange={setNote} maxLength={2000} rows={2} />
        <label className="check">
          <input type="checkbox" name="openCase" checked={openCase} onChange={(e) => setOpenCase(e.target.checked)} />
          {t('hit.openCase')}
        </label>
        <button type="submit" disabled={busy}>
          {t('hit.submit')}
        </button>
      </form>
      <ErrorNote error={error} />
      {result !== null ? (
        <div className="hit-result" id="hit-result" aria-live="polite" data-canary={result.canary}>
          <p className="summary">{t('hit.found', { canary: result.canary, audience: result.audience, n: result.alerts.length })}</p>
          {result.caseId !== undefined ? (
            <p>
              <a href={href('security', 'cases', result.caseId)}>{t('hit.caseOpened', { id: result.caseId })}</a>
            </p>
          ) : null}
          {result.export !== undefined ? <p>{t('hit.export', { id: result.export.id, recipient: result.export.recipient, status: result.export.status })}</p> : null}
          {result.shownTo.length === 0 ? (
            <p>{t('hit.shownToNobody')}</p>
          ) : (
            <table className="data shown-to">
              <caption>{t('hit.shownTo', { n: result.shownTo.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('alerts.person')}</th>
                  <th scope="col">{t('hit.times')}</th>
                  <th scope="col">{t('hit.first')}</th>
                </tr>
              </thead>
              <tbody>
                {result.shownTo.map((v) => (
                  <tr key={v.actor} data-person={v.actor}>
                    <td>
                      <a href={href('security', 'people', v.actor)}>{v.actor}</a>
                    </td>
                    <td>{v.events ?? '–'}</td>
                    <td>{v.first !== undefined ? formatTime(lang, v.first) : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p>
            {t('hit.alerts')} <a href={href('security', 'alerts')}>{result.alerts.join(t('common.listSep'))}</a>
          </p>
        </div>
      ) : null}
    </>
  );
}
