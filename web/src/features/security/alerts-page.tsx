import { useCallback, useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { ALERT_STATUSES, api, query, SEVERITIES, type Alert, type AlertStatus, type Me, type Severity } from '../../lib/api.js';
import { formatTime, useLang } from '../../lib/i18n.js';
import { go, href } from '../../lib/route.js';
import { ErrorNote, Field, PageTitle, Select } from '../../lib/ui.js';
import { SEVERITY_LABELS, STATUS_LABELS } from './labels.js';

type Filter<V extends string> = V | '';

/** The alert queue (GET /api/v1/alerts) with triage: assign, dismiss with a reason, reopen with a reason. */
export function AlertsPage({ me }: { readonly me: Me }): ReactNode {
  const { t, lang } = useLang();
  const [status, setStatus] = useState<Filter<AlertStatus>>('open');
  const [severity, setSeverity] = useState<Filter<Severity>>('');
  const [items, setItems] = useState<readonly Alert[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [open, setOpen] = useState<string | null>(null);

  const load = useCallback(
    async (before?: string) => {
      setError(undefined);
      try {
        const page = await api<{ items: Alert[]; next: string | null }>('GET', `/api/v1/alerts${query({ status, severity, before, limit: 50 })}`);
        setItems((prev) => (before === undefined || prev === null ? page.items : [...prev, ...page.items]));
        setNext(page.next);
      } catch (err) {
        setError(err);
      }
    },
    [status, severity],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const replace = (a: Alert): void => setItems((prev) => (prev === null ? prev : prev.map((x) => (x.id === a.id ? a : x))));

  return (
    <section>
      <PageTitle>{t('alerts.title')}</PageTitle>
      <form className="inline" aria-label={t('alerts.filters')} onSubmit={(e) => { e.preventDefault(); void load(); }}>
        <Select<Filter<AlertStatus>>
          label={t('alerts.status')}
          name="status"
          value={status}
          options={[{ value: '', label: t('common.all') }, ...ALERT_STATUSES.map((s) => ({ value: s, label: t(STATUS_LABELS[s]) }))]}
          onChange={setStatus}
        />
        <Select<Filter<Severity>>
          label={t('alerts.severity')}
          name="severity"
          value={severity}
          options={[{ value: '', label: t('common.all') }, ...SEVERITIES.map((s) => ({ value: s, label: t('alerts.atLeast', { severity: t(SEVERITY_LABELS[s]) }) }))]}
          onChange={setSeverity}
        />
        <button type="submit">{t('common.refresh')}</button>
      </form>
      <ErrorNote error={error} />
      {items === null ? (
        <p aria-busy="true">{t('app.loading')}</p>
      ) : items.length === 0 ? (
        <p>{t('alerts.none')}</p>
      ) : (
        <table className="data alerts">
          <caption>{t('alerts.caption', { n: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('alerts.severity')}</th>
              <th scope="col">{t('alerts.person')}</th>
              <th scope="col">{t('alerts.summary')}</th>
              <th scope="col">{t('alerts.time')}</th>
              <th scope="col">{t('alerts.status')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <AlertRow key={a.id} alert={a} me={me} expanded={open === a.id} onToggle={() => setOpen(open === a.id ? null : a.id)} onChanged={replace} lang={lang} />
            ))}
          </tbody>
        </table>
      )}
      {next !== null ? (
        <button type="button" onClick={() => void load(next)}>
          {t('common.more')}
        </button>
      ) : null}
    </section>
  );
}

function AlertRow(props: { readonly alert: Alert; readonly me: Me; readonly expanded: boolean; readonly onToggle: () => void; readonly onChanged: (a: Alert) => void; readonly lang: 'zh-CN' | 'en' }): ReactNode {
  const { t } = useLang();
  const { alert: a } = props;
  const detailsId = useId();
  return (
    <>
      <tr data-alert={a.id} data-actor={a.actor}>
        <td>
          <span className={`sev sev-${a.severity}`}>{t(SEVERITY_LABELS[a.severity])}</span>
        </td>
        <td>
          <a href={href('security', 'people', a.actor)}>{a.actor}</a>
        </td>
        <td>{a.summary}</td>
        <td>{formatTime(props.lang, a.time)}</td>
        <td>
          {t(STATUS_LABELS[a.status])}
          {a.assignee !== null ? ` · ${t('alerts.assignedTo', { who: a.assignee })}` : ''}
        </td>
        <td>
          <button type="button" aria-expanded={props.expanded} aria-controls={detailsId} onClick={props.onToggle}>
            {props.expanded ? t('alerts.close') : t('alerts.triage')}
          </button>
        </td>
      </tr>
      {props.expanded ? (
        <tr className="details">
          <td colSpan={6} id={detailsId}>
            <AlertDetails alert={a} me={props.me} onChanged={props.onChanged} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function AlertDetails({ alert: a, me, onChanged }: { readonly alert: Alert; readonly me: Me; readonly onChanged: (a: Alert) => void }): ReactNode {
  const { t } = useLang();
  const [assignee, setAssignee] = useState(a.assignee ?? me.id);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState('');
  const own = a.actor === me.id;
  const [suspendReason, setSuspendReason] = useState('');

  /** A case from this alert (the people in its evidence); the queue marks the alert as taken into it. */
  const openCase = async (): Promise<void> => {
    setError(undefined);
    try {
      const { caseId } = await api<{ caseId: string }>('POST', '/api/v1/cases', { alerts: [a.id] });
      go('security', 'cases', caseId);
    } catch (err) {
      setError(err);
    }
  };
  const suspend = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    setDone('');
    try {
      await api('POST', `/api/v1/holds/${encodeURIComponent(a.actor)}/suspend`, { reason: suspendReason, alert: a.id });
      setSuspendReason('');
      setDone(t('alerts.suspended', { id: a.actor }));
    } catch (err) {
      setError(err);
    }
  };

  const triage = async (body: Record<string, string>): Promise<void> => {
    setError(undefined);
    setDone('');
    try {
      const updated = await api<Alert>('POST', `/api/v1/alerts/${encodeURIComponent(a.id)}/triage`, body);
      onChanged(updated);
      setReason('');
      setDone(t('alerts.updated', { status: t(STATUS_LABELS[updated.status]) }));
    } catch (err) {
      setError(err);
    }
  };
  const withReason = (action: 'dismiss' | 'reopen') => (e: FormEvent) => {
    e.preventDefault();
    void triage({ action, reason });
  };

  return (
    <div className="alert-details">
      <dl>
        <dt>{t('alerts.detector')}</dt>
        <dd>{a.detector}</dd>
        <dt>{t('alerts.score')}</dt>
        <dd>{a.score.toFixed(1)}</dd>
        <dt>{t('alerts.evidence', { n: a.events.length })}</dt>
        <dd>
          <ul className="ids">
            {a.events.slice(0, 20).map((id) => (
              <li key={id}>
                <code>{id}</code>
              </li>
            ))}
            {a.events.length > 20 ? <li>{t('alerts.moreEvidence', { n: a.events.length - 20 })}</li> : null}
          </ul>
        </dd>
        {a.resolution !== null ? (
          <>
            <dt>{t('alerts.resolution')}</dt>
            <dd>{a.resolution}</dd>
          </>
        ) : null}
      </dl>
      {own ? (
        <p className="hint">{t('alerts.ownAlert')}</p>
      ) : (
        <div className="triage">
          <form className="inline" onSubmit={(e) => { e.preventDefault(); void triage({ action: 'assign', assignee }); }} aria-label={t('alerts.assign')}>
            <Field label={t('alerts.assignee')} name="assignee" value={assignee} onChange={setAssignee} required maxLength={128} />
            <button type="submit">{t('alerts.assign')}</button>
          </form>
          {a.status === 'dismissed' ? (
            <form className="inline" onSubmit={withReason('reopen')} aria-label={t('alerts.reopen')}>
              <Field label={t('alerts.reason')} name="reason" value={reason} onChange={setReason} required minLength={3} maxLength={500} />
              <button type="submit">{t('alerts.reopen')}</button>
            </form>
          ) : (
            <form className="inline" onSubmit={withReason('dismiss')} aria-label={t('alerts.dismiss')}>
              <Field label={t('alerts.reason')} name="reason" value={reason} onChange={setReason} required minLength={3} maxLength={500} />
              <button type="submit">{t('alerts.dismiss')}</button>
            </form>
          )}
          <button type="button" onClick={() => void openCase()}>
            {t('alerts.openCase')}
          </button>
          <form className="inline" onSubmit={(e) => void suspend(e)} aria-label={t('alerts.suspend', { id: a.actor })}>
            <Field label={t('alerts.suspendReason')} name="suspendReason" value={suspendReason} onChange={setSuspendReason} required minLength={3} maxLength={500} />
            <button type="submit">{t('alerts.suspend', { id: a.actor })}</button>
          </form>
        </div>
      )}
      <ErrorNote error={error} />
      <p role="status">{done}</p>
    </div>
  );
}
