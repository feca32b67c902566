import { useState, type FormEvent, type ReactNode } from 'react';
import { api, NOTICE_PARTS, type Notice, type NoticePart, type NoticeVersion } from '../../lib/api.js';
import { formatTime, useLang } from '../../lib/i18n.js';
import { ErrorNote, Field, TextArea } from '../../lib/ui.js';
import { AUDIENCE_LABELS } from './labels.js';

/** Each part's limit, as the server checks it (src/cases/notices.ts NOTICE_LIMITS). */
const LIMITS: Readonly<Record<NoticePart, number>> = { title: 200, summary: 4000, information: 4000, cause: 4000, harm: 4000, measures: 4000, advice: 4000, contact: 1000 };

interface NoticeList {
  readonly notices: readonly Notice[];
  readonly recipients: readonly { readonly channel: 'sms' | 'email' | 'letter' | 'none' }[];
  readonly recipientsTruncated: boolean;
}

const fileOf = (caseId: string, n: Pick<NoticeVersion, 'audience' | 'lang' | 'version'>, format: 'pdf' | 'html'): string =>
  `/api/v1/cases/${encodeURIComponent(caseId)}/notices/${n.audience}/${n.lang}/${format}?version=${n.version}`;

/**
 * The PIPL Art. 57 notices of a case: drafted by the server (regulator and individual, zh-CN and en), listed by
 * version and hash; opened on demand (their texts come with the people to notify, a ledgered read, of which only
 * the counts by channel are shown), edited as new versions, downloaded as PDF once no part is empty.
 */
export function CaseNotices({ caseId, versions, closed, onChanged }: { readonly caseId: string; readonly versions: readonly NoticeVersion[]; readonly closed: boolean; readonly onChanged: () => void }): ReactNode {
  const { t, lang } = useLang();
  const [list, setList] = useState<NoticeList | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const open = (): void => {
    setError(undefined);
    api<NoticeList>('GET', `/api/v1/cases/${encodeURIComponent(caseId)}/notices`).then(setList, setError);
  };
  const draft = (): void => {
    setError(undefined);
    api<{ drafted: number }>('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/notices`).then(() => {
      onChanged();
      if (list !== null) open();
    }, setError);
  };
  const channels = new Map<string, number>();
  for (const r of list?.recipients ?? []) channels.set(r.channel, (channels.get(r.channel) ?? 0) + 1);
  return (
    <>
      <h2>{t('notice.title')}</h2>
      <p className="hint">{t('notice.hint')}</p>
      {versions.length === 0 ? <p>{t('notice.none')}</p> : null}
      {!closed && versions.length < 4 ? (
        <p>
          <button type="button" onClick={draft}>
            {t('notice.draft')}
          </button>
        </p>
      ) : null}
      {versions.length > 0 ? (
        <table className="data notices">
          <caption>{t('notice.caption', { n: versions.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('notice.audience')}</th>
              <th scope="col">{t('notice.lang')}</th>
              <th scope="col">{t('notice.version')}</th>
              <th scope="col">{t('notice.by')}</th>
              <th scope="col">SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((n) => (
              <tr key={`${n.audience}/${n.lang}`} data-notice={`${n.audience}/${n.lang}`}>
                <td>{t(AUDIENCE_LABELS[n.audience])}</td>
                <td>{n.lang === 'zh-CN' ? '中文' : 'English'}</td>
                <td>{n.version}</td>
                <td>
                  {n.author} · {formatTime(lang, n.createdAt)}
                </td>
                <td>
                  <code className="hash">{n.sha256.slice(0, 16)}…</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {versions.length > 0 && list === null ? (
        <p>
          <button type="button" onClick={open}>
            {t('notice.open')}
          </button>
        </p>
      ) : null}
      <ErrorNote error={error} />
      {list !== null ? (
        <>
          <p className="summary" id="notice-recipients">
            {t('notice.recipients', { n: list.recipients.length, sms: channels.get('sms') ?? 0, email: channels.get('email') ?? 0, letter: channels.get('letter') ?? 0, none: channels.get('none') ?? 0 })}
            {list.recipientsTruncated ? ` ${t('notice.recipientsTruncated')}` : ''}
          </p>
          {list.notices.map((n) => (
            <NoticeEditor key={`${n.audience}/${n.lang}/${n.version}`} caseId={caseId} notice={n} closed={closed} onSaved={() => { onChanged(); open(); }} />
          ))}
        </>
      ) : null}
    </>
  );
}

/** One notice: its parts (editable as a new version), what is missing, and its downloads. */
function NoticeEditor({ caseId, notice, closed, onSaved }: { readonly caseId: string; readonly notice: Notice; readonly closed: boolean; readonly onSaved: () => void }): ReactNode {
  const { t } = useLang();
  const [text, setText] = useState<Record<NoticePart, string>>({ ...notice.text });
  const [error, setError] = useState<unknown>(undefined);
  const name = `${t(AUDIENCE_LABELS[notice.audience])} · ${notice.lang === 'zh-CN' ? '中文' : 'English'}`;
  const dirty = NOTICE_PARTS.some((p) => text[p] !== notice.text[p]);
  const save = (e: FormEvent): void => {
    e.preventDefault();
    setError(undefined);
    api('PUT', `/api/v1/cases/${encodeURIComponent(caseId)}/notices/${notice.audience}/${notice.lang}`, { text }).then(onSaved, setError);
  };
  return (
    <article className="notice card" data-notice={`${notice.audience}/${notice.lang}`} aria-label={name}>
      <h3>
        {name} · {t('notice.versionN', { n: notice.version })}
      </h3>
      {notice.problems.length > 0 ? (
        <p className="warn">{t('notice.problems', { parts: notice.problems.map((p) => t(`notice.part.${p}`)).join(t('common.listSep')) })}</p>
      ) : (
        <p className="downloads">
          <a className="button" href={fileOf(caseId, notice, 'pdf')} download aria-label={t('notice.pdfOf', { name })}>
            {t('notice.pdf')}
          </a>{' '}
          <a href={fileOf(caseId, notice, 'html')} download aria-label={t('notice.htmlOf', { name })}>
            {t('notice.html')}
          </a>
        </p>
      )}
      <form onSubmit={save} aria-label={t('notice.editOf', { name })}>
        {NOTICE_PARTS.map((p) =>
          p === 'title' || p === 'contact' ? (
            <Field key={p} label={t(`notice.part.${p}`)} name={p} value={text[p]} maxLength={LIMITS[p]} onChange={(v) => setText({ ...text, [p]: v })} />
          ) : (
            <TextArea key={p} label={t(`notice.part.${p}`)} name={p} value={text[p]} maxLength={LIMITS[p]} rows={3} onChange={(v) => setText({ ...text, [p]: v })} />
          ),
        )}
        {closed ? null : (
          <button type="submit" disabled={!dirty}>
            {t('notice.save')}
          </button>
        )}
        <ErrorNote error={error} />
      </form>
    </article>
  );
}
