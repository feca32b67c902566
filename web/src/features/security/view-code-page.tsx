import { useState, type FormEvent, type ReactNode } from 'react';
import { api, type ResolvedView } from '../../lib/api.js';
import { formatTime, useLang } from '../../lib/i18n.js';
import { href } from '../../lib/route.js';
import { ErrorNote, Field, PageTitle } from '../../lib/ui.js';
import { checkInclusion, type Check } from '../../lib/verify.js';
import { CheckList } from './check-list.js';

/** A view code read off a screen, photo or printout → the page view it names, with its proof checked here. */
export function ViewCodePage(): ReactNode {
  const { t, lang } = useLang();
  const [code, setCode] = useState('');
  const [view, setView] = useState<ResolvedView | null>(null);
  const [checks, setChecks] = useState<readonly Check[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setView(null);
    try {
      const v = await api<ResolvedView>('GET', `/api/v1/trace/code/${encodeURIComponent(code.trim())}`);
      setView(v);
      setChecks(await checkInclusion(v.index, v.event, v.proof, v.checkpoint.root, v.checkpoint.size));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <PageTitle>{t('viewCode.title')}</PageTitle>
      <form className="inline" onSubmit={(e) => void submit(e)} aria-label={t('viewCode.title')}>
        <Field label={t('viewCode.code')} name="code" value={code} onChange={setCode} required minLength={8} maxLength={40} />
        <button type="submit" disabled={busy}>
          {t('viewCode.lookUp')}
        </button>
      </form>
      <p className="hint">{t('viewCode.hint')}</p>
      <ErrorNote error={error} />
      {view === null ? null : (
        <div className="card">
          <dl className="kv">
            <dt>{t('events.index')}</dt>
            <dd>{view.index}</dd>
            <dt>{t('events.time')}</dt>
            <dd>{formatTime(lang, view.event.time)}</dd>
            <dt>{t('events.actor')}</dt>
            <dd>
              <a href={href('security', 'people', view.event.actor)}>{view.event.actor}</a>
            </dd>
            <dt>{t('events.action')}</dt>
            <dd>
              {view.event.action} · {view.event.outcome}
            </dd>
            <dt>{t('events.customers')}</dt>
            <dd>{view.event.subjects.join(', ')}</dd>
            <dt>{t('events.fields')}</dt>
            <dd>{view.event.fields.join(', ')}</dd>
          </dl>
          <CheckList id="view-code-badge" checks={checks} />
        </div>
      )}
    </section>
  );
}
