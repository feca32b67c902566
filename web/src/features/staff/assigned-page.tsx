import { useEffect, useState, type ReactNode } from 'react';
import { api, query, type Page, type SubjectView } from '../../lib/api.js';
import { useT } from '../../lib/i18n.js';
import { ErrorNote, PageTitle } from '../../lib/ui.js';
import { SubjectTable } from './subject-table.js';

/** "My customers": GET /api/v1/me/assigned, paged. */
export function AssignedPage({ onData }: { readonly onData: (p: Page) => void }): ReactNode {
  const t = useT();
  const [items, setItems] = useState<readonly SubjectView[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const load = async (after?: string): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const page = await api<Page>('GET', `/api/v1/me/assigned${query({ limit: 50, after })}`);
      setItems((prev) => (after === undefined || prev === null ? page.items : [...prev, ...page.items]));
      setNext(page.next);
      onData(page);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  // Load once when the page opens.
  useEffect(() => {
    void load();
  }, []);

  return (
    <section>
      <PageTitle>{t('mine.title')}</PageTitle>
      <ErrorNote error={error} />
      {items === null ? (
        <p aria-busy="true">{t('app.loading')}</p>
      ) : items.length === 0 ? (
        <p>{t('mine.none')}</p>
      ) : (
        <>
          <SubjectTable items={items} caption={t('mine.caption', { n: items.length })} />
          {next !== null ? (
            <button type="button" disabled={busy} onClick={() => void load(next)}>
              {t('common.more')}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
