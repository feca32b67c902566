import { useEffect, useState, type ReactNode } from 'react';
import { api, type PolicyInForce, type PolicyTests, type PolicyVersionSummary } from '../../lib/api.js';
import { formatTime, useLang } from '../../lib/i18n.js';
import { ErrorNote, PageTitle } from '../../lib/ui.js';

/**
 * The access policy, read-only: the version in force and its rules (with each rule's @why), the shipped test
 * cases' results, and the versions with their diffs (GET /api/v1/policy, /policy/tests, /policy/versions). Changes
 * go through `custos policy` or PUT /api/v1/policy.
 */
export function PolicyPage(): ReactNode {
  const { t, lang } = useLang();
  const [policy, setPolicy] = useState<PolicyInForce | null>(null);
  const [tests, setTests] = useState<PolicyTests | null>(null);
  const [versions, setVersions] = useState<readonly PolicyVersionSummary[]>([]);
  const [diff, setDiff] = useState<{ version: number; diff: string } | null>(null);
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => {
    Promise.all([api<PolicyInForce>('GET', '/api/v1/policy'), api<PolicyTests>('GET', '/api/v1/policy/tests'), api<{ items: PolicyVersionSummary[] }>('GET', '/api/v1/policy/versions')]).then(([p, x, v]) => {
      setPolicy(p);
      setTests(x);
      setVersions(v.items);
    }, setError);
  }, []);
  const showDiff = (version: number): void => {
    api<{ diff: string }>('GET', `/api/v1/policy/versions/${version}`).then((v) => setDiff({ version, diff: v.diff }), setError);
  };

  return (
    <section>
      <PageTitle>{t('policy.title')}</PageTitle>
      <ErrorNote error={error} />
      {policy === null || tests === null ? (
        error === undefined ? <p aria-busy="true">{t('app.loading')}</p> : null
      ) : (
        <>
          <p className="summary">
            {t('policy.inForce', { version: policy.version, author: policy.author, time: formatTime(lang, policy.savedAt), message: policy.message })}{' '}
            <span id="policy-tests" className={tests.failed === 0 ? 'badge ok' : 'badge bad'}>
              {t('policy.testsPassed', { passed: tests.passed, total: tests.passed + tests.failed })}
            </span>
          </p>
          <p className="hint">
            <code className="hash">{policy.hash}</code>
          </p>
          <h2>{t('policy.rules', { n: policy.policies.length })}</h2>
          <table className="data policy-rules">
            <caption className="sr-only">{t('policy.rules', { n: policy.policies.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('policy.rule')}</th>
                <th scope="col">{t('policy.effect')}</th>
                <th scope="col">{t('policy.why')}</th>
                <th scope="col">{t('policy.line')}</th>
              </tr>
            </thead>
            <tbody>
              {policy.policies.map((r) => (
                <tr key={r.id}>
                  <td>
                    <code>{r.id}</code>
                  </td>
                  <td>
                    <span className={r.effect === 'forbid' ? 'badge bad' : 'badge'}>{r.effect}</span>
                  </td>
                  <td>{r.why}</td>
                  <td>{r.line}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <details>
            <summary>{t('policy.text')}</summary>
            <pre className="note">{policy.text}</pre>
          </details>

          <h2>{t('policy.tests')}</h2>
          <table className="data policy-tests">
            <caption>{t('policy.testsCaption', { n: tests.results.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('policy.case')}</th>
                <th scope="col">{t('policy.result')}</th>
                <th scope="col">{t('policy.got')}</th>
              </tr>
            </thead>
            <tbody>
              {[...tests.results].sort((a, b) => Number(a.ok) - Number(b.ok)).map((r) => (
                <tr key={r.name}>
                  <td>{r.name}</td>
                  <td>
                    <span className={r.ok ? 'badge ok' : 'badge bad'}>{r.ok ? t('check.pass') : t('check.fail')}</span>
                    {r.ok ? null : <div className="hint">{r.problem}</div>}
                  </td>
                  <td>{[r.got.decision, r.got.effect, r.got.policies.join(t('common.listSep'))].filter((x) => x !== undefined && x !== '').join(' · ')}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <h2>{t('policy.versions')}</h2>
          <table className="data policy-versions">
            <caption className="sr-only">{t('policy.versions')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('policy.version')}</th>
                <th scope="col">{t('policy.saved')}</th>
                <th scope="col">{t('policy.message')}</th>
                <th scope="col">{t('policy.diff')}</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.version}>
                  <td>
                    {v.version}
                    {v.version === policy.version ? ` (${t('policy.current')})` : ''}
                  </td>
                  <td>
                    {v.author} · {formatTime(lang, v.savedAt)}
                  </td>
                  <td>
                    {v.message}
                    {v.restoredFrom !== null ? <div className="hint">{t('policy.restoredFrom', { version: v.restoredFrom })}</div> : null}
                  </td>
                  <td>
                    <button type="button" onClick={() => showDiff(v.version)} aria-label={t('policy.showDiff', { version: v.version })}>
                      {t('policy.diff')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {diff !== null ? (
            <figure className="diff">
              <figcaption>{t('policy.diffOf', { version: diff.version })}</figcaption>
              <pre className="note">{diff.diff === '' ? t('policy.noDiff') : diff.diff}</pre>
            </figure>
          ) : null}
        </>
      )}
    </section>
  );
}
