import { useState, type FormEvent, type ReactNode } from 'react';
import { api, query, type LedgerItem } from '../../lib/api.js';
import { useLang } from '../../lib/i18n.js';
import { ErrorNote, Field, PageTitle } from '../../lib/ui.js';
import { EventsTable } from './events-table.js';

/** "Who saw this person": ledger entries about one customer id (GET /api/v1/ledger/events?subject=…). */
export function WhoSawPage(): ReactNode {
  const { t } = useLang();
  const [subject, setSubject] = useState('');
  const [items, setItems] = useState<readonly LedgerItem[] | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setItems((await api<{ items: LedgerItem[] }>('GET', `/api/v1/ledger/events${query({ subject: subject.trim(), limit: 1000 })}`)).items);
    } catch (err) {
      setError(err);
      setItems(null);
    } finally {
      setBusy(false);
    }
  };

  const people = items === null ? [] : [...new Set(items.filter((i) => i.event.outcome !== 'denied').map((i) => i.event.actor))];
  return (
    <section>
      <PageTitle>{t('whoSaw.title')}</PageTitle>
      <form className="inline" onSubmit={(e) => void submit(e)} aria-label={t('whoSaw.title')}>
        <Field label={t('whoSaw.customerId')} name="subject" value={subject} onChange={setSubject} required maxLength={64} />
        <button type="submit" disabled={busy}>
          {t('whoSaw.search')}
        </button>
      </form>
      <p className="hint">{t('whoSaw.hint')}</p>
      <ErrorNote error={error} />
      {items === null ? null : items.length === 0 ? (
        <p>{t('whoSaw.none')}</p>
      ) : (
        <>
          <p className="summary">{t('whoSaw.summary', { n: items.length, people: people.length })}</p>
          <EventsTable items={items} caption={t('whoSaw.caption', { n: items.length })} />
        </>
      )}
    </section>
  );
}
