import { useState, type FormEvent, type ReactNode } from 'react';
import { api, type Me } from '../lib/api.js';
import { useT } from '../lib/i18n.js';
import { ErrorNote, Field, PageTitle } from '../lib/ui.js';

export function LoginPage({ onSignedIn }: { readonly onSignedIn: (me: Me) => void }): ReactNode {
  const t = useT();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const me = await api<Me>('POST', '/api/v1/session', { user, password });
      setPassword('');
      onSignedIn(me);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="login card">
      <PageTitle>{t('login.title')}</PageTitle>
      <form onSubmit={(e) => void submit(e)} aria-label={t('login.title')}>
        <Field label={t('login.user')} name="user" value={user} onChange={setUser} required maxLength={64} autoComplete="username" />
        <Field label={t('login.password')} name="password" type="password" value={password} onChange={setPassword} required maxLength={1024} autoComplete="current-password" />
        <button type="submit" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
      <ErrorNote error={error} />
    </section>
  );
}
