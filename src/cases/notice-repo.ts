import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { StoreSchema } from '../store/index.js';
import { NOTICE_PARTS, type NoticeAudience, type NoticeLang, type NoticeText } from './notices.js';

/** One version of a notice. */
export interface StoredNotice {
  readonly audience: NoticeAudience;
  readonly lang: NoticeLang;
  readonly version: number;
  readonly text: NoticeText;
  /** SHA-256 of the text (its parts in order, as JSON): what the ledger records for each version. */
  readonly sha256: string;
  readonly author: string;
  readonly createdAt: string;
}

/** The hash of a notice's text: JSON of its parts in their fixed order. */
export function noticeSha256(text: NoticeText): string {
  return createHash('sha256').update(JSON.stringify(NOTICE_PARTS.map((p) => [p, text[p]])), 'utf8').digest('hex');
}

/** The versions of each case's notices: every edit is a new version, none is ever changed. */
export function noticeRepo(db: Kysely<StoreSchema>) {
  const toNotice = (r: { audience: string; lang: string; version: number; sections: string; sha256: string; author: string; created_at: string }): StoredNotice => ({
    audience: r.audience as NoticeAudience,
    lang: r.lang as NoticeLang,
    version: Number(r.version),
    text: JSON.parse(r.sections) as NoticeText,
    sha256: r.sha256,
    author: r.author,
    createdAt: r.created_at,
  });
  return {
    /** Stores `text` as the next version of the case's notice for this audience and language. */
    async save(caseId: string, audience: NoticeAudience, lang: NoticeLang, text: NoticeText, author: string, now: string): Promise<StoredNotice> {
      const last = await db.selectFrom('case_notices').select(db.fn.max('version').as('v')).where('case_id', '=', caseId).where('audience', '=', audience).where('lang', '=', lang).executeTakeFirst();
      const version = Number(last?.v ?? 0) + 1;
      const sections = JSON.stringify(Object.fromEntries(NOTICE_PARTS.map((p) => [p, text[p]])));
      const sha256 = noticeSha256(text);
      await db.insertInto('case_notices').values({ case_id: caseId, audience, lang, version, sections, sha256, author, created_at: now }).execute();
      return { audience, lang, version, text, sha256, author, createdAt: now };
    },
    /** A version of a notice (the latest when `version` is undefined), or undefined. */
    async find(caseId: string, audience: NoticeAudience, lang: NoticeLang, version?: number): Promise<StoredNotice | undefined> {
      let q = db.selectFrom('case_notices').selectAll().where('case_id', '=', caseId).where('audience', '=', audience).where('lang', '=', lang);
      q = version !== undefined ? q.where('version', '=', version) : q.orderBy('version', 'desc').limit(1);
      const r = await q.executeTakeFirst();
      return r === undefined ? undefined : toNotice(r);
    },
    /** The latest version of each of the case's notices. */
    async latest(caseId: string): Promise<StoredNotice[]> {
      const rows = await db.selectFrom('case_notices').selectAll().where('case_id', '=', caseId).orderBy('version', 'desc').execute();
      const seen = new Set<string>();
      const out: StoredNotice[] = [];
      for (const r of rows) {
        const k = `${r.audience}/${r.lang}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(toNotice(r));
      }
      return out.sort((a, b) => a.audience.localeCompare(b.audience) || a.lang.localeCompare(b.lang));
    },
  };
}
export type NoticeRepo = ReturnType<typeof noticeRepo>;
