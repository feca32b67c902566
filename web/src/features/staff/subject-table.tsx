import type { ReactNode } from 'react';
import type { SubjectView } from '../../lib/api.js';
import { useT } from '../../lib/i18n.js';
import { href } from '../../lib/route.js';

/** A list of customers (masked as the server sent them; values rendered as text, marks and all). */
export function SubjectTable({ items, caption }: { readonly items: readonly SubjectView[]; readonly caption: string }): ReactNode {
  const t = useT();
  return (
    <table className="data">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('field.id')}</th>
          <th scope="col">{t('field.name')}</th>
          <th scope="col">{t('field.mobile')}</th>
          <th scope="col">
            <span className="sr-only">{t('common.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.id}>
            <td>{item.id}</td>
            <td>{String(item.fields['name'] ?? '')}</td>
            <td>{String(item.fields['mobile'] ?? '')}</td>
            <td>
              <a href={href('customers', item.id)} aria-label={t('search.openRecord', { id: item.id })}>
                {t('search.open')}
              </a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
