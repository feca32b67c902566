import { useState, type ReactNode } from 'react';
import { api, type Checkpoint, type LedgerItem } from '../../lib/api.js';
import { formatTime, useLang } from '../../lib/i18n.js';
import { href } from '../../lib/route.js';
import { verifyEntry } from '../../lib/verify.js';

/** Ledger entries (ids only) with a per-entry "check" that proves the entry in the latest checkpoint, in the browser. */
export function EventsTable({ items, caption, showActor = true }: { readonly items: readonly LedgerItem[]; readonly caption: string; readonly showActor?: boolean }): ReactNode {
  const { t, lang } = useLang();
  return (
    <table className="data events">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('events.index')}</th>
          <th scope="col">{t('events.time')}</th>
          {showActor ? <th scope="col">{t('events.actor')}</th> : null}
          <th scope="col">{t('events.action')}</th>
          <th scope="col">{t('events.outcome')}</th>
          <th scope="col">{t('events.customers')}</th>
          <th scope="col">{t('events.fields')}</th>
          <th scope="col">{t('events.purpose')}</th>
          <th scope="col">{t('events.proof')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.index}>
            <td>{item.index}</td>
            <td>{formatTime(lang, item.event.time)}</td>
            {showActor ? (
              <td>
                <a href={href('security', 'people', item.event.actor)}>{item.event.actor}</a>
              </td>
            ) : null}
            <td>
              {item.event.action}
              {item.event.system.startsWith('custos') ? '' : ` (${item.event.system})`}
            </td>
            <td>{item.event.outcome}</td>
            <td>{item.event.count ?? item.event.subjects.length}</td>
            <td>{item.event.fields.join(', ')}</td>
            <td>{[item.event.purpose, item.event.ticket].filter((x) => x !== undefined).join(' · ')}</td>
            <td>
              <CheckButton item={item} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

let latest: Promise<Checkpoint> | undefined;

function CheckButton({ item }: { readonly item: LedgerItem }): ReactNode {
  const { t } = useLang();
  const [state, setState] = useState<'idle' | 'busy' | 'ok' | 'bad' | 'error'>('idle');
  const run = async (): Promise<void> => {
    setState('busy');
    try {
      latest ??= api<Checkpoint>('GET', '/api/v1/ledger/checkpoint');
      let cp = await latest;
      if (cp.size <= item.index) {
        latest = api<Checkpoint>('GET', '/api/v1/ledger/checkpoint');
        cp = await latest;
      }
      const checks = await verifyEntry(item.index, item.event, cp);
      setState(checks.every((c) => c.ok) ? 'ok' : 'bad');
    } catch {
      latest = undefined;
      setState('error');
    }
  };
  if (state === 'ok') return <span className="badge ok">{t('ledger.inCheckpoint')}</span>;
  if (state === 'bad') return <span className="badge bad">{t('ledger.failed')}</span>;
  return (
    <button type="button" disabled={state === 'busy'} onClick={() => void run()} aria-label={t('events.checkEntry', { index: item.index })}>
      {state === 'error' ? t('events.retry') : t('events.check')}
    </button>
  );
}
