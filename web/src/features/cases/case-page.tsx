import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, CASE_STATUSES, type CaseDetail, type CaseStatus, type Suspect } from '../../lib/api.js';
import { formatTime, useLang } from '../../lib/i18n.js';
import { href } from '../../lib/route.js';
import { ErrorNote, Field, PageTitle, Select, TextArea } from '../../lib/ui.js';
import { FIELD_LABELS } from '../staff/fields.js';
import { SEVERITY_LABELS, STATUS_LABELS } from '../security/labels.js';
import { CASE_STATUS_LABELS } from './labels.js';
import { CaseAssessment } from './case-assessment.js';
import { CaseNotices } from './case-notices.js';

const TIMELINE_PAGE = 100;

/** A case: what it is about, the people ranked as suspects, the forensic timeline, notes, containment, evidence. */
export function CasePage({ id }: { readonly id: string }): ReactNode {
  const { t, lang } = useLang();
  const [c, setCase] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [shown, setShown] = useState(TIMELINE_PAGE);
  const load = useCallback(() => {
    api<CaseDetail>('GET', `/api/v1/cases/${encodeURIComponent(id)}`).then(setCase, setError);
  }, [id]);
  useEffect(load, [load]);

  if (c === null) {
    return (
      <section>
        <PageTitle>{t('case.title', { id })}</PageTitle>
        <ErrorNote error={error} />
        {error === undefined ? <p aria-busy="true">{t('app.loading')}</p> : null}
      </section>
    );
  }
  const field = (f: string): string => (FIELD_LABELS[f] !== undefined ? t(FIELD_LABELS[f]) : f);
  const timeline = [...c.forensics.accesses].sort((a, b) => a.time.localeCompare(b.time) || a.index - b.index);
  return (
    <section>
      <p>
        <a href={href('security', 'cases')}>{t('cases.back')}</a>
      </p>
      <PageTitle>{t('case.title', { id: c.id })}</PageTitle>
      <ErrorNote error={error} />
      <dl className="kv">
        <dt>{t('alerts.status')}</dt>
        <dd id="case-status">{t(CASE_STATUS_LABELS[c.status])}</dd>
        <dt>{t('cases.source')}</dt>
        <dd>{c.source}</dd>
        <dt>{t('cases.opened')}</dt>
        <dd>{t('case.openedBy', { who: c.openedBy, time: formatTime(lang, c.openedAt) })}</dd>
        <dt>{t('cases.assignee')}</dt>
        <dd>{c.assignee ?? '–'}</dd>
        <dt>{t('case.window')}</dt>
        <dd>
          {formatTime(lang, c.window.from)} – {formatTime(lang, c.window.to)}
        </dd>
        <dt>{t('case.subjects', { n: c.subjects.length })}</dt>
        <dd>
          {c.subjects.slice(0, 20).join(t('common.listSep'))}
          {c.subjects.length > 20 ? ` ${t('alerts.moreEvidence', { n: c.subjects.length - 20 })}` : ''}
        </dd>
      </dl>
      <CaseWork c={c} onChanged={load} />
      <CaseAssessment caseId={c.id} a={c.assessment} entry={c.severityEntry} closed={c.status === 'closed'} onChanged={load} />

      <h2>{t('case.suspects')}</h2>
      {c.forensics.suspects.length === 0 ? (
        <p>{t('case.noSuspects')}</p>
      ) : (
        <table className="data suspects">
          <caption>{t('case.suspectsCaption', { n: c.forensics.suspects.length })}</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('alerts.person')}</th>
              <th scope="col">{t('case.score')}</th>
              <th scope="col">{t('case.saw')}</th>
              <th scope="col">{t('case.unmasked')}</th>
              <th scope="col">{t('case.unexplained')}</th>
              <th scope="col">{t('case.reasons')}</th>
              <th scope="col">{t('case.contain')}</th>
            </tr>
          </thead>
          <tbody>
            {c.forensics.suspects.map((s, i) => (
              <tr key={s.actor} data-suspect={s.actor}>
                <td>{i + 1}</td>
                <td>
                  <a href={href('security', 'people', s.actor)}>{s.actor}</a>
                </td>
                <td>{s.score.toFixed(1)}</td>
                <td>{s.saw}</td>
                <td>{s.unmasked}</td>
                <td>{s.unexplained}</td>
                <td>
                  <ul className="reasons">
                    {s.reasons.map((r) => (
                      <li key={r}>{r}</li>
                    ))}
                  </ul>
                </td>
                <td>
                  <Contain caseId={c.id} suspect={s} held={c.holds.some((h) => h.staffId === s.actor && h.kind === 'suspend')} onDone={load} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{t('case.timeline')}</h2>
      {c.forensics.truncated ? <p className="hint">{t('case.truncated')}</p> : null}
      {timeline.length === 0 ? (
        <p>{t('person.noEvents')}</p>
      ) : (
        <>
          <table className="data timeline">
            <caption>{t('case.timelineCaption', { n: timeline.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('events.time')}</th>
                <th scope="col">{t('events.actor')}</th>
                <th scope="col">{t('events.action')}</th>
                <th scope="col">{t('events.customers')}</th>
                <th scope="col">{t('events.fields')}</th>
                <th scope="col">{t('events.outcome')}</th>
                <th scope="col">{t('events.purpose')}</th>
                <th scope="col">{t('events.index')}</th>
              </tr>
            </thead>
            <tbody>
              {timeline.slice(0, shown).map((a) => (
                <tr key={a.index}>
                  <td>{formatTime(lang, a.time)}</td>
                  <td>{a.actor}</td>
                  <td>{a.action}</td>
                  <td>{a.subjects.length <= 3 ? a.subjects.join(t('common.listSep')) : t('case.nCustomers', { n: a.subjects.length })}</td>
                  <td>{a.fields.map(field).join(t('common.listSep'))}</td>
                  <td>{a.outcome}</td>
                  <td>{[a.purpose, a.ticket].filter((x) => x !== undefined).join(' · ')}</td>
                  <td>{a.index}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {timeline.length > shown ? (
            <button type="button" onClick={() => setShown(shown + TIMELINE_PAGE)}>
              {t('common.more')}
            </button>
          ) : null}
        </>
      )}

      <h2>{t('case.alerts')}</h2>
      {c.alerts.length === 0 ? (
        <p>{t('alerts.none')}</p>
      ) : (
        <ul className="person-alerts">
          {c.alerts.map((a) => (
            <li key={a.id}>
              <span className={`sev sev-${a.severity}`}>{t(SEVERITY_LABELS[a.severity])}</span> {a.actor} · {formatTime(lang, a.time)} · {t(STATUS_LABELS[a.status])} · {a.summary}
            </li>
          ))}
        </ul>
      )}

      <h2>{t('case.notes')}</h2>
      {c.notes.length === 0 ? (
        <p>{t('case.noNotes')}</p>
      ) : (
        <ul className="notes">
          {c.notes.map((n) => (
            <li key={n.id}>
              <span className="hint">
                {formatTime(lang, n.time)} · {n.author} · {n.kind}
              </span>
              <pre className="note">{n.body}</pre>
            </li>
          ))}
        </ul>
      )}
      <NoteForm caseId={c.id} onAdded={load} />

      <CaseNotices caseId={c.id} versions={c.notices} closed={c.status === 'closed'} onChanged={load} />

      <h2>{t('case.evidence')}</h2>
      <p>
        <a id="case-bundle" className="button" href={`/api/v1/cases/${encodeURIComponent(c.id)}/bundle`} download={`custos-${c.id}-evidence.json`}>
          {t('case.download')}
        </a>
      </p>
      <p className="hint">{t('case.verifyHint')}</p>
    </section>
  );
}

/** Status and assignee. */
function CaseWork({ c, onChanged }: { readonly c: CaseDetail; readonly onChanged: () => void }): ReactNode {
  const { t } = useLang();
  const others = CASE_STATUSES.filter((s) => s !== c.status);
  const [to, setTo] = useState<CaseStatus>(others[0]!);
  const [assignee, setAssignee] = useState(c.assignee ?? '');
  const [error, setError] = useState<unknown>(undefined);
  const post = (path: string, body: unknown): void => {
    setError(undefined);
    api('POST', `/api/v1/cases/${encodeURIComponent(c.id)}/${path}`, body).then(onChanged, setError);
  };
  return (
    <div className="case-work">
      <form className="inline" aria-label={t('case.move')} onSubmit={(e) => { e.preventDefault(); post('transition', { to }); }}>
        <Select<CaseStatus> label={t('case.moveTo')} name="to" value={to} options={others.map((s) => ({ value: s, label: t(CASE_STATUS_LABELS[s]) }))} onChange={setTo} />
        <button type="submit">{t('case.move')}</button>
      </form>
      <form className="inline" aria-label={t('case.assign')} onSubmit={(e) => { e.preventDefault(); post('assign', { assignee }); }}>
        <Field label={t('alerts.assignee')} name="assignee" value={assignee} onChange={setAssignee} required maxLength={128} />
        <button type="submit">{t('case.assign')}</button>
      </form>
      <ErrorNote error={error} />
    </div>
  );
}

function Contain({ caseId, suspect, held, onDone }: { readonly caseId: string; readonly suspect: Suspect; readonly held: boolean; readonly onDone: () => void }): ReactNode {
  const { t } = useLang();
  const [error, setError] = useState<unknown>(undefined);
  if (held) return <span className="badge bad">{t('holds.suspend')}</span>;
  return (
    <>
      <button type="button" aria-label={t('case.suspendWho', { id: suspect.actor })} onClick={() => void api('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/contain`, { action: 'suspend', person: suspect.actor }).then(onDone, setError)}>
        {t('case.suspend')}
      </button>
      <ErrorNote error={error} />
    </>
  );
}

function NoteForm({ caseId, onAdded }: { readonly caseId: string; readonly onAdded: () => void }): ReactNode {
  const { t } = useLang();
  const [body, setBody] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setError(undefined);
    api('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/notes`, { body }).then(() => {
      setBody('');
      onAdded();
    }, setError);
  };
  return (
    <form onSubmit={submit} aria-label={t('case.addNote')}>
      <TextArea label={t('case.note')} name="note" value={body} onChange={setBody} required minLength={3} maxLength={4000} rows={3} />
      <button type="submit">{t('case.addNote')}</button>
      <ErrorNote error={error} />
    </form>
  );
}
