import { useState, type FormEvent, type ReactNode } from 'react';
import { api, type Page } from '../../lib/api.js';
import { useT } from '../../lib/i18n.js';
import { ErrorNote, Field, PageTitle, Select } from '../../lib/ui.js';
import { SubjectTable } from './subject-table.js';

export type SearchKey = 'phone' | 'name' | 'idNumber';

/** Held in memory by the app (never in the URL or browser storage) so that "back" keeps the results. */
export interface SearchState {
  readonly key: SearchKey;
  readonly value: string;
  readonly page: Page | null;
}

export function SearchPage(props: { readonly state: SearchState; readonly setState: (s: SearchState) => void; readonly onData: (p: Page) => void }): ReactNode {
  const t = useT();
  const { state, setState } = props;
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const run = async (after?: string): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      // The key goes in the body: phone and ID numbers stay out of URLs, history and proxy logs.
      const page = await api<Page>('POST', '/api/v1/subjects/search', { [state.key]: state.value, limit: 20, ...(after !== undefined ? { after } : {}) });
      setState({ ...state, page: after === undefined || state.page === null ? page : { ...page, items: [...state.page.items, ...page.items] } });
      props.onData(page);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void run();
  };

  return (
    <section>
      <PageTitle>{t('search.title')}</PageTitle>
      <form className="inline" onSubmit={submit} aria-label={t('search.title')} autoComplete="off">
        <Select<SearchKey>
          label={t('search.by')}
          name="key"
          value={state.key}
          options={[
            { value: 'phone', label: t('search.phone') },
            { value: 'name', label: t('search.name') },
            { value: 'idNumber', label: t('search.idNumber') },
          ]}
          onChange={(key) => setState({ ...state, key })}
        />
        <Field label={t('search.value')} name="value" value={state.value} onChange={(value) => setState({ ...state, value })} required maxLength={50} />
        <button type="submit" disabled={busy}>
          {t('search.submit')}
        </button>
      </form>
      <p className="hint">{t('search.hint')}</p>
      <ErrorNote error={error} />
      <div aria-live="polite">
        {state.page === null ? null : state.page.items.length === 0 ? (
          <p>{t('search.none')}</p>
        ) : (
          <>
            <SubjectTable items={state.page.items} caption={t('search.results', { n: state.page.items.length })} />
            {state.page.next !== null ? (
              <button type="button" disabled={busy} onClick={() => void run(state.page?.next ?? undefined)}>
                {t('common.more')}
              </button>
            ) : null}
          </>
        )}
      </div>
    </section>
  );
}
