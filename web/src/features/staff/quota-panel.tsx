import { useEffect, useId, useState, type ReactNode } from 'react';
import { api, type Meter, type QuotaMeter } from '../../lib/api.js';
import { useT } from '../../lib/i18n.js';
import { ErrorNote } from '../../lib/ui.js';
import { CATEGORY_LABELS } from '../cases/labels.js';

function Bar({ label, meter }: { readonly label: string; readonly meter: Meter }): ReactNode {
  const t = useT();
  const id = useId();
  const high = Math.ceil(meter.limit * 0.8);
  return (
    <div className="meter">
      <label htmlFor={id}>{label}</label>
      <meter id={id} min={0} max={meter.limit} low={Math.ceil(meter.limit * 0.5)} high={high} optimum={0} value={meter.used} />
      <span className="meter-text">{t('quota.of', { used: meter.used, limit: meter.limit })}</span>
    </div>
  );
}

/** The signed-in person's own quota standing (GET /api/v1/me/quota), refreshed after every view. */
export function QuotaPanel({ version }: { readonly version: number }): ReactNode {
  const t = useT();
  const [meter, setMeter] = useState<QuotaMeter | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    let live = true;
    api<QuotaMeter>('GET', '/api/v1/me/quota')
      .then((m) => live && setMeter(m))
      .catch((err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [version]);

  return (
    <section className="quota card" aria-labelledby="quota-title">
      <h2 id="quota-title">{t('quota.title')}</h2>
      <ErrorNote error={error} />
      {meter === null ? null : (
        <>
          <p className="hint">{t('quota.day', { day: meter.day })}</p>
          <Bar label={t('quota.today')} meter={meter.customersToday} />
          <Bar label={t('quota.hour')} meter={meter.customersThisHour} />
          {Object.entries(meter.categoriesToday).map(([cat, m]) => {
            const key = CATEGORY_LABELS[cat];
            return <Bar key={cat} label={t('quota.category', { category: key === undefined ? cat : t(key) })} meter={m} />;
          })}
        </>
      )}
    </section>
  );
}
