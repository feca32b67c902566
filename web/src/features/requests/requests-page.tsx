import { useEffect, useState, type ReactNode } from 'react';
import { api, type AccessRequest } from '../../lib/api.js';
import { useLang } from '../../lib/i18n.js';
import { ErrorNote, PageTitle } from '../../lib/ui.js';
import { MyRequestsTable } from './requests-table.js';

/** "My requests" (GET /api/v1/access-requests?scope=mine): each one's state and, once approved, until when. */
export function RequestsPage(): ReactNode {
  const { t } = useLang();
  const [items, setItems] = useState<readonly AccessRequest[] | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    api<{ items: AccessRequest[] }>('GET', '/api/v1/access-requests?scope=mine&limit=100').then((r) => setItems(r.items), setError);
  }, []);
  return (
    <section>
      <PageTitle>{t('requests.title')}</PageTitle>
      <p className="hint">{t('requests.hint')}</p>
      <ErrorNote error={error} />
      {items === null ? (
        error === undefined ? <p aria-busy="true">{t('app.loading')}</p> : null
      ) : items.length === 0 ? (
        <p>{t('requests.none')}</p>
      ) : (
        <MyRequestsTable items={items} className="requests" caption={t('requests.caption', { n: items.length })} />
      )}
    </section>
  );
}
