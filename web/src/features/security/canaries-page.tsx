import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../../lib/api.js';
import { formatTime, useLang } from '../../lib/i18n.js';
import { ErrorNote, Field, PageTitle, Select } from '../../lib/ui.js';
import { CanaryHitForm } from './canary-hit-form.js';

interface Canary {
  readonly id: string;
  readonly audience: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

type AudienceKind = 'viewer' | 'team' | 'export';
const KINDS: readonly AudienceKind[] = ['viewer', 'team', 'export'];

/**
 * The canary board (GET/POST /api/v1/canaries): the canary people by audience (a person, a department or an
 * export), and new ones made for an audience. Their values are never shown here: a hit is reported by the
 * channel that found it (POST /api/v1/canaries/hits), or here by an analyst told of one, and raises a critical alert.
 */
export function CanariesPage(): ReactNode {
  const { t, lang } = useLang();
  const [items, setItems] = useState<readonly Canary[] | null>(null);
  const [kind, setKind] = useState<AudienceKind>('team');
  const [target, setTarget] = useState('');
  const [count, setCount] = useState('1');
  const [error, setError] = useState<unknown>(undefined);
  const [made, setMade] = useState('');
  const load = useCallback(() => {
    api<{ canaries: Canary[] }>('GET', '/api/v1/canaries?limit=1000').then((r) => setItems(r.canaries), setError);
  }, []);
  useEffect(load, [load]);

  const create = (e: FormEvent): void => {
    e.preventDefault();
    setError(undefined);
    setMade('');
    api<{ canaries: Canary[] }>('POST', '/api/v1/canaries', { audience: `${kind}:${target.trim()}`, count: Number(count) }).then((r) => {
      setMade(t('canaries.made', { n: r.canaries.length, ids: r.canaries.map((c) => c.id).join(t('common.listSep')) }));
      load();
    }, setError);
  };

  const byAudience = new Map<string, Canary[]>();
  for (const c of items ?? []) byAudience.set(c.audience, [...(byAudience.get(c.audience) ?? []), c]);
  return (
    <section>
      <PageTitle>{t('canaries.title')}</PageTitle>
      <p className="hint">{t('canaries.hint')}</p>
      <form className="inline" onSubmit={create} aria-label={t('canaries.create')}>
        <Select<AudienceKind> label={t('canaries.audience')} name="kind" value={kind} options={KINDS.map((k) => ({ value: k, label: t(`canaries.kind.${k}`) }))} onChange={setKind} />
        <Field label={t('canaries.target')} name="target" value={target} onChange={setTarget} required maxLength={128} />
        <Field label={t('canaries.count')} name="count" type="number" value={count} onChange={setCount} required maxLength={2} />
        <button type="submit">{t('canaries.create')}</button>
      </form>
      <ErrorNote error={error} />
      <p role="status">{made}</p>
      {items === null ? (
        error === undefined ? <p aria-busy="true">{t('app.loading')}</p> : null
      ) : items.length === 0 ? (
        <p>{t('canaries.none')}</p>
      ) : (
        <table className="data canaries">
          <caption>{t('canaries.caption', { n: items.length, audiences: byAudience.size })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('canaries.audience')}</th>
              <th scope="col">{t('canaries.ids')}</th>
              <th scope="col">{t('canaries.created')}</th>
            </tr>
          </thead>
          <tbody>
            {[...byAudience.entries()].map(([audience, cs]) => (
              <tr key={audience} data-audience={audience}>
                <td>
                  <code>{audience}</code>
                </td>
                <td>{cs.map((c) => c.id).join(t('common.listSep'))}</td>
                <td>
                  {cs[0]!.createdBy} · {formatTime(lang, cs[0]!.createdAt)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CanaryHitForm />
    </section>
  );
}
