import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, INCIDENT_GRADES, LEGAL_CATEGORIES, OPERATOR_KINDS, type Assessment, type IncidentGrade, type LegalSource, type OperatorKind, type SeverityEntry } from '../../lib/api.js';
import { formatTime, useLang, type Translate } from '../../lib/i18n.js';
import { ErrorNote, Field, Select } from '../../lib/ui.js';
import { CATEGORY_LABELS, OPERATOR_LABELS, SEVERITY_LEVEL_LABELS } from './labels.js';

/** One legal source: instrument, article, in force since; "not checked" when the figure was recalled, not read. */
export function SourceLine({ s }: { readonly s: LegalSource }): ReactNode {
  const { t } = useLang();
  return (
    <li>
      {s.instrument} {s.article} <span className="hint">({t('law.effective', { date: s.effective })})</span>
      {s.verified ? null : <span className="badge warn-badge">{t('law.unverified')}</span>}
    </li>
  );
}

/** "2 h 05 min" from a duration in milliseconds (its absolute value). */
export function duration(t: Translate, ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const s = Math.floor((Math.abs(ms) % 60_000) / 1000);
  if (days > 0) return t('clock.dhm', { d: days, h, m });
  if (h > 0) return t('clock.hm', { h, m: String(m).padStart(2, '0') });
  return t('clock.ms', { m, s: String(s).padStart(2, '0') });
}

/** Milliseconds left on the clock now: the server's figure at load, counted down in the browser since. */
function useCountdown(msLeft: number | null): number | null {
  const [now, setNow] = useState(() => performance.now());
  const [start] = useState(() => performance.now());
  useEffect(() => {
    if (msLeft === null) return undefined;
    const timer = window.setInterval(() => setNow(performance.now()), 1000);
    return () => window.clearInterval(timer);
  }, [msLeft]);
  return msLeft === null ? null : msLeft - (now - start);
}

/**
 * A case's severity against the criminal-law thresholds (the figures behind it and their sources), its incident
 * grade and the reporting clock (time left to the legal deadline, red once overdue), and the form for the figures
 * an investigator knows beyond the ledger (PUT /api/v1/cases/{id}/severity).
 */
export function CaseAssessment({ caseId, a, entry, closed, onChanged }: { readonly caseId: string; readonly a: Assessment; readonly entry: SeverityEntry; readonly closed: boolean; readonly onChanged: () => void }): ReactNode {
  const { t, lang } = useLang();
  const s = a.severity;
  const shown = LEGAL_CATEGORIES.filter((c) => s.records[c] > 0 || c === 'other' || c === 'property');
  return (
    <>
      <h2>{t('assess.title')}</h2>
      <div className="assessment" id="case-severity" data-level={s.level}>
        <p>
          <span className={`badge big level-${s.level}`}>{t(SEVERITY_LEVEL_LABELS[s.level])}</span>{' '}
          {s.counted === 'entered' ? t('assess.countedEntered') : s.actor !== null ? t('assess.countedLedger', { actor: s.actor }) : t('assess.countedNone')}
        </p>
        <dl className="kv">
          <dt>{t('assess.proportion')}</dt>
          <dd>{t('assess.proportionOf', { p: s.proportion })}</dd>
          <dt>{t('assess.insider')}</dt>
          <dd>{s.insider ? t('assess.insiderYes') : t('assess.insiderNo')}</dd>
          <dt>{t('assess.gain')}</dt>
          <dd>{s.byGain === null ? t('assess.noGain') : t('assess.gainLevel', { level: t(SEVERITY_LEVEL_LABELS[s.byGain]), serious: s.gainThresholdsYuan.serious, particularly: s.gainThresholdsYuan.particularlySerious })}</dd>
        </dl>
        <table className="data thresholds">
          <caption>{t('assess.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('assess.category')}</th>
              <th scope="col">{t('assess.records')}</th>
              <th scope="col">{t('assess.threshold')}</th>
              <th scope="col">{t('assess.share')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <tr key={c} data-category={c} className={s.categoriesAtThreshold.includes(c) ? 'reached' : undefined}>
                <th scope="row">{t(CATEGORY_LABELS[c])}</th>
                <td>{s.records[c]}</td>
                <td>{s.thresholds[c]}</td>
                <td>{(s.records[c] / s.thresholds[c]).toFixed(4).replace(/\.?0+$/, '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <details>
          <summary>{t('assess.reasons')}</summary>
          <ul className="reasons">
            {s.reasons.map((r) => (
              <li key={r} lang="en">
                {r}
              </li>
            ))}
          </ul>
        </details>
        <h3>{t('law.basis')}</h3>
        <ul className="sources">
          {s.basis.map((b) => (
            <SourceLine key={`${b.instrument}${b.article}`} s={b} />
          ))}
        </ul>
      </div>

      <h2>{t('clock.title')}</h2>
      <Clock key={`${a.clock.deadline ?? ''}|${a.clock.msLeft ?? ''}`} a={a} />
      {closed ? null : <SeverityForm key={JSON.stringify(entry)} caseId={caseId} a={a} entry={entry} onChanged={onChanged} />}
      <p className="hint">{t('clock.grade', { grade: lang === 'zh-CN' ? a.incident.names.zh : a.incident.names.en, people: a.incident.people, sensitive: a.incident.sensitivePeople, minors: a.sensitive.minors.count })}</p>
      <p className="hint" lang="en">
        {a.incident.reason}
      </p>
      <ul className="sources">
        {a.incident.source !== null ? <SourceLine s={a.incident.source} /> : null}
        <SourceLine s={a.clock.source} />
        {a.sensitive.flagged ? <SourceLine s={a.sensitive.source} /> : null}
      </ul>
      {a.clock.reportedAt !== null ? <p>{t(a.clock.reportedLate === true ? 'clock.reportedLate' : 'clock.reportedOnTime', { time: formatTime(lang, a.clock.reportedAt) })}</p> : null}
    </>
  );
}

/** The reporting clock: time left to the deadline, ticking, red once overdue. */
function Clock({ a }: { readonly a: Assessment }): ReactNode {
  const { t, lang } = useLang();
  const c = a.clock;
  const left = useCountdown(c.msLeft);
  if (!c.required || c.deadline === null) {
    return (
      <p id="case-clock" className="clock" data-required="false">
        {t('clock.none')}
      </p>
    );
  }
  const overdue = left !== null ? left < 0 : c.overdue;
  return (
    <div id="case-clock" className={overdue ? 'clock overdue' : 'clock'} data-required="true" data-overdue={String(overdue)} role="timer" aria-live="off">
      <p className="clock-left">{left === null ? t('clock.stopped') : overdue ? t('clock.overdueBy', { d: duration(t, left) }) : t('clock.left', { d: duration(t, left) })}</p>
      <p>{t('clock.due', { time: formatTime(lang, c.deadline), to: lang === 'zh-CN' ? (c.to?.zh ?? '') : (c.to?.en ?? ''), hours: (c.minutes ?? 0) / 60, from: formatTime(lang, c.from) })}</p>
    </div>
  );
}

/** A datetime-local value in the browser's zone for an ISO time. */
function localInput(iso: string): string {
  const d = new Date(iso);
  const off = d.getTimezoneOffset() * 60_000;
  return new Date(d.getTime() - off).toISOString().slice(0, 16);
}

type GradeChoice = IncidentGrade | '';

/**
 * The figures an investigator knows beyond the ledger: people affected, illegal gain, kind of operator, grade,
 * discovery. The server replaces the whole entry on each save, so the form starts from what was entered before
 * (and sends entered record counts back unchanged): saving one figure never clears another.
 */
function SeverityForm({ caseId, a, entry, onChanged }: { readonly caseId: string; readonly a: Assessment; readonly entry: SeverityEntry; readonly onChanged: () => void }): ReactNode {
  const { t } = useLang();
  const [people, setPeople] = useState(entry.people !== undefined ? String(entry.people) : '');
  const [gain, setGain] = useState(entry.illegalGainYuan !== undefined ? String(entry.illegalGainYuan) : '');
  const [operator, setOperator] = useState<OperatorKind>(a.clock.operator);
  const [grade, setGrade] = useState<GradeChoice>((INCIDENT_GRADES as readonly string[]).includes(entry.grade ?? '') ? (entry.grade as IncidentGrade) : '');
  const [discovered, setDiscovered] = useState(localInput(a.clock.from));
  const [insider, setInsider] = useState(a.severity.insider);
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setError(undefined);
    setSaved(false);
    const body: Record<string, unknown> = { operator, insider, ...(entry.records !== undefined ? { records: entry.records } : {}) };
    if (people.trim() !== '') body['people'] = Number(people);
    if (gain.trim() !== '') body['illegalGainYuan'] = Number(gain);
    if (grade !== '') body['grade'] = grade;
    if (discovered !== '') body['discoveredAt'] = new Date(discovered).toISOString();
    api('PUT', `/api/v1/cases/${encodeURIComponent(caseId)}/severity`, body).then(() => {
      setSaved(true);
      onChanged();
    }, setError);
  };
  return (
    <form className="figures" onSubmit={submit} aria-label={t('figures.title')}>
      <fieldset>
        <legend>{t('figures.title')}</legend>
        <div className="inline-fields">
          <Field label={t('figures.people')} name="people" type="number" value={people} onChange={setPeople} maxLength={13} />
          <Field label={t('figures.gain')} name="gain" type="number" value={gain} onChange={setGain} maxLength={16} />
          <Select<OperatorKind> label={t('figures.operator')} name="operator" value={operator} options={OPERATOR_KINDS.map((k) => ({ value: k, label: t(OPERATOR_LABELS[k]) }))} onChange={setOperator} />
          <Select<GradeChoice> label={t('figures.grade')} name="grade" value={grade} options={[{ value: '', label: t('figures.gradeComputed') }, ...INCIDENT_GRADES.map((g) => ({ value: g, label: t(`grade.${g}`) }))]} onChange={setGrade} />
          <Field label={t('figures.discovered')} name="discovered" type="datetime-local" value={discovered} onChange={setDiscovered} maxLength={20} />
        </div>
        <label className="check">
          <input type="checkbox" name="insider" checked={insider} onChange={(e) => setInsider(e.target.checked)} />
          {t('figures.insider')}
        </label>
        <p className="hint">{t('figures.hint')}</p>
        <button type="submit">{t('figures.save')}</button>
        <span role="status">{saved ? ` ${t('figures.saved')}` : ''}</span>
      </fieldset>
      <ErrorNote error={error} />
    </form>
  );
}
