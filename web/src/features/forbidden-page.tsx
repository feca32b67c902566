import type { ReactNode } from 'react';
import { useLang } from '../lib/i18n.js';
import { PageTitle } from '../lib/ui.js';

/** A security page opened by someone without a security role: it says so and shows no data. */
export function ForbiddenPage(): ReactNode {
  const { t } = useLang();
  return (
    <section>
      <PageTitle>{t('nav.security')}</PageTitle>
      <p>{t('reserved.forbidden')}</p>
    </section>
  );
}
