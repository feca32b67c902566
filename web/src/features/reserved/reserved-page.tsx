import type { ReactNode } from 'react';
import { useLang, type MessageKey } from '../../lib/i18n.js';
import { PageTitle } from '../../lib/ui.js';

/**
 * Screens whose APIs are being built now (exports). Each has
 * its route reserved here and its feature folder to come (features/<name>/); until then the route says so and
 * shows no data.
 */
export interface ReservedFeature {
  readonly route: string;
  readonly title: MessageKey;
  /** The API the screen will sit on. */
  readonly api: string;
  readonly forbidden?: boolean;
}

export const RESERVED: readonly ReservedFeature[] = [
  { route: 'exports', title: 'reserved.exports', api: '/api/v1/exports' },
];

export function ReservedPage({ feature }: { readonly feature: ReservedFeature }): ReactNode {
  const { t } = useLang();
  return (
    <section>
      <PageTitle>{t(feature.title)}</PageTitle>
      <p>{feature.forbidden === true ? t('reserved.forbidden') : t('reserved.notYet')}</p>
      {feature.api !== '' && feature.api !== '–' ? (
        <p className="hint">
          <code>{feature.api}</code>
        </p>
      ) : null}
    </section>
  );
}
