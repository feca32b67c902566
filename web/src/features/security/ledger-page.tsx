import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, query, type Checkpoint, type LedgerItem, type Me } from '../../lib/api.js';
import { useLang } from '../../lib/i18n.js';
import { fromBase64, toHex } from '../../lib/merkle.js';
import { ErrorNote, PageTitle } from '../../lib/ui.js';
import { verifyEntry, verifyPrefix, type Check } from '../../lib/verify.js';
import { CheckList } from './check-list.js';

/** The last checkpoint this page verified (memory only): the next refresh must extend it. */
let previous: Checkpoint | undefined;

/**
 * The ledger explorer: the latest signed checkpoint, and a "verified" badge from proofs checked in this browser:
 * an entry of ours is in the checkpoint's tree (leaf hashed here), and the tree extends the one seen before
 * (or the tree as it stood right after that entry).
 */
export function LedgerPage({ me }: { readonly me: Me }): ReactNode {
  const { t } = useLang();
  const [cp, setCp] = useState<Checkpoint | null>(null);
  const [checks, setChecks] = useState<readonly Check[] | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const run = useCallback(async () => {
    setBusy(true);
    setError(undefined);
    setChecks(null);
    try {
      const checkpoint = await api<Checkpoint>('GET', '/api/v1/ledger/checkpoint');
      setCp(checkpoint);
      // An entry of our own from the last day (our sign-in at least), hashed here from its event: the earliest,
      // so that the tree as it stood right after it is well behind the checkpoint (a real consistency proof).
      const from = new Date(Date.now() - 86_400_000).toISOString();
      const mine = await api<{ items: LedgerItem[] }>('GET', `/api/v1/ledger/events${query({ actor: me.id, from, limit: 1000 })}`);
      const entry = mine.items.find((i) => i.index < checkpoint.size);
      const all: Check[] = [];
      if (entry !== undefined) all.push(...(await verifyEntry(entry.index, entry.event, checkpoint)));
      const before = previous;
      if (before !== undefined && before.origin === checkpoint.origin && before.size <= checkpoint.size) {
        all.push(...(await verifyPrefix(before.size, checkpoint, fromBase64(before.root))));
      } else if (entry !== undefined) {
        all.push(...(await verifyPrefix(entry.index + 1, checkpoint, undefined, entry)));
      }
      setChecks(all);
      if (all.length > 0 && all.every((c) => c.ok)) previous = checkpoint;
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }, [me.id]);

  useEffect(() => {
    void run();
  }, [run]);

  const rootHex = cp === null ? '' : toHex(fromBase64(cp.root) ?? new Uint8Array());
  return (
    <section>
      <PageTitle>{t('ledger.title')}</PageTitle>
      <ErrorNote error={error} />
      {cp === null ? null : (
        <div className="card">
          <h2>{t('ledger.checkpoint')}</h2>
          <dl className="kv">
            <dt>{t('ledger.origin')}</dt>
            <dd>{cp.origin}</dd>
            <dt>{t('ledger.size')}</dt>
            <dd id="ledger-size">{cp.size}</dd>
            <dt>{t('ledger.root')}</dt>
            <dd>
              <code className="hash">{rootHex}</code>
            </dd>
          </dl>
          <details>
            <summary>{t('ledger.note')}</summary>
            <pre className="note">{cp.note}</pre>
          </details>
        </div>
      )}
      {busy ? <p aria-busy="true">{t('ledger.checking')}</p> : null}
      {checks !== null ? checks.length === 0 ? <p>{t('ledger.nothingToCheck')}</p> : <CheckList id="ledger-badge" checks={checks} /> : null}
      <button type="button" disabled={busy} onClick={() => void run()}>
        {t('ledger.refresh')}
      </button>
      <p className="hint">{t('ledger.signatureNote')}</p>
    </section>
  );
}
