import type { ReactNode } from 'react';
import { useLang, type MessageKey } from '../../lib/i18n.js';
import type { Check } from '../../lib/verify.js';

const CHECK_LABELS: Readonly<Record<Check['kind'], MessageKey>> = {
  leaf: 'check.leaf',
  inclusion: 'check.inclusion',
  consistency: 'check.consistency',
};

/** The badge ("verified" only when every check passed) and the list of checks behind it. */
export function CheckList({ checks, id }: { readonly checks: readonly Check[]; readonly id: string }): ReactNode {
  const { t } = useLang();
  const ok = checks.length > 0 && checks.every((c) => c.ok);
  return (
    <div className="checks">
      <p id={id} className={`badge big ${ok ? 'ok' : 'bad'}`} role="status" data-verified={ok ? 'yes' : 'no'}>
        {ok ? t('ledger.verified') : t('ledger.failed')}
      </p>
      <ul>
        {checks.map((c, i) => (
          <li key={i} className={c.ok ? 'ok' : 'bad'}>
            <span aria-hidden="true">{c.ok ? '✓' : '✗'}</span> {t(CHECK_LABELS[c.kind], c.params)} — {c.ok ? t('check.pass') : t('check.fail')}
          </li>
        ))}
      </ul>
      <p className="hint">{t('ledger.howChecked')}</p>
    </div>
  );
}
