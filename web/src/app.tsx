import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, setCsrf, SIGNED_OUT, type Me, type Page, type Watermark } from './lib/api.js';
import { initialLang, LangContext, LANGS, translator, type Lang, type LangState, type MessageKey } from './lib/i18n.js';
import { go, href, useRoute } from './lib/route.js';
import { mountWatermark } from './lib/watermark.js';
import { Select } from './lib/ui.js';
import { LoginPage } from './features/login.js';
import { SearchPage, type SearchState } from './features/staff/search-page.js';
import { RecordPage } from './features/staff/record-page.js';
import { AssignedPage } from './features/staff/assigned-page.js';
import { QuotaPanel } from './features/staff/quota-panel.js';
import { AlertsPage } from './features/security/alerts-page.js';
import { HoldsPage } from './features/security/holds-page.js';
import { PersonPage } from './features/security/person-page.js';
import { LedgerPage } from './features/security/ledger-page.js';
import { WhoSawPage } from './features/security/who-saw-page.js';
import { ViewCodePage } from './features/security/view-code-page.js';
import { RiskPage } from './features/security/risk-page.js';
import { HeatmapPage } from './features/security/heatmap-page.js';
import { RequestsPage } from './features/requests/requests-page.js';
import { ApprovalsPage } from './features/requests/approvals-page.js';
import { CasesPage } from './features/cases/cases-page.js';
import { ComplaintPage } from './features/cases/complaint-page.js';
import { CasePage } from './features/cases/case-page.js';
import { TracePage } from './features/cases/trace-page.js';
import { PolicyPage } from './features/security/policy-page.js';
import { CanariesPage } from './features/security/canaries-page.js';
import { ForbiddenPage } from './features/forbidden-page.js';
import { ExportsPage } from './features/exports/exports-page.js';

const SECURITY_ROLES = new Set(['security_analyst']);

interface NavItem {
  readonly route: readonly string[];
  readonly label: MessageKey;
}

const STAFF_NAV: readonly NavItem[] = [
  { route: ['search'], label: 'nav.search' },
  { route: ['mine'], label: 'nav.mine' },
  { route: ['requests'], label: 'nav.requests' },
  { route: ['exports'], label: 'nav.exports' },
  { route: ['approvals'], label: 'nav.approvals' },
];
const SECURITY_NAV: readonly NavItem[] = [
  { route: ['security', 'alerts'], label: 'nav.alerts' },
  { route: ['security', 'risk'], label: 'nav.risk' },
  { route: ['security', 'heatmap'], label: 'nav.heatmap' },
  { route: ['security', 'holds'], label: 'nav.holds' },
  { route: ['security', 'people'], label: 'nav.people' },
  { route: ['security', 'cases'], label: 'nav.cases' },
  { route: ['security', 'trace'], label: 'nav.trace' },
  { route: ['approvals'], label: 'nav.approvals' },
  { route: ['security', 'canaries'], label: 'nav.canaries' },
  { route: ['security', 'policy'], label: 'nav.policy' },
  { route: ['security', 'ledger'], label: 'nav.ledger' },
  { route: ['security', 'who-saw'], label: 'nav.whoSaw' },
  { route: ['security', 'view-code'], label: 'nav.viewCode' },
];

/** The staff pages that show personal data, and so carry the watermark. */
const DATA_PAGES = new Set(['search', 'customers', 'mine']);

export function App(): ReactNode {
  const [lang, setLang] = useState<Lang>(initialLang);
  const langState = useMemo<LangState>(() => ({ lang, setLang, t: translator(lang) }), [lang]);
  const t = langState.t;
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [watermark, setWatermark] = useState<Watermark | null>(null);
  const [search, setSearch] = useState<SearchState>({ key: 'phone', value: '', page: null });
  const [dataVersion, setDataVersion] = useState(0);
  const route = useRoute();

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('app.title');
  }, [lang, t]);

  useEffect(() => {
    api<Me>('GET', '/api/v1/me')
      .then((m) => {
        setCsrf(m.csrf);
        setMe(m);
      })
      .catch(() => setMe(null));
  }, []);

  useEffect(() => {
    const ended = (): void => {
      setCsrf(undefined);
      setMe(null);
      setWatermark(null);
      setSearch({ key: 'phone', value: '', page: null });
    };
    window.addEventListener(SIGNED_OUT, ended);
    return () => window.removeEventListener(SIGNED_OUT, ended);
  }, []);

  const security = me !== null && me !== undefined && SECURITY_ROLES.has(me.role);
  const page = route[0] ?? '';

  // Send each role to its home page.
  useEffect(() => {
    if (me === null || me === undefined) return;
    if (route.length === 0) go(...(security ? ['security', 'alerts'] : ['search']));
  }, [me, security, route.length]);

  const showsData = me !== null && me !== undefined && !security && DATA_PAGES.has(page) && watermark !== null;
  const lines = watermark?.lines;
  useEffect(() => {
    if (!showsData || lines === undefined) return undefined;
    return mountWatermark(lines);
  }, [showsData, lines]);

  /** Every response that showed personal data brings its own watermark (viewer, time, view code). */
  const onData = useCallback((data: { readonly watermark?: Watermark }) => {
    if (data.watermark !== undefined) setWatermark(data.watermark);
    setDataVersion((v) => v + 1);
  }, []);

  const signedIn = (m: Me): void => {
    setCsrf(m.csrf);
    setMe(m);
    go(...(SECURITY_ROLES.has(m.role) ? ['security', 'alerts'] : ['search']));
  };

  const signOut = async (): Promise<void> => {
    try {
      await api('DELETE', '/api/v1/session');
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    } finally {
      setCsrf(undefined);
      setMe(null);
      setWatermark(null);
      setSearch({ key: 'phone', value: '', page: null });
      window.location.hash = '';
    }
  };

  const nav = security ? SECURITY_NAV : STAFF_NAV;
  const current = route.join('/');

  let body: ReactNode;
  if (me === undefined) body = <p aria-busy="true">{t('app.loading')}</p>;
  else if (me === null) body = <LoginPage onSignedIn={signedIn} />;
  else body = renderPage(route, me, security, { search, setSearch, onData: (p: Page) => onData(p), onRecord: onData, dataVersion });

  return (
    <LangContext.Provider value={langState}>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('app.skip')}
      </a>
      <header className="top">
        <strong className="brand">Custos</strong>
        {me ? (
          <nav aria-label={t('nav.label')}>
            <ul>
              {nav.map((n) => (
                <li key={n.label}>
                  <a href={href(...n.route)} aria-current={current.startsWith(n.route.join('/')) ? 'page' : undefined}>
                    {t(n.label)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <div className="top-right">
          <Select<Lang>
            label={t('app.language')}
            value={lang}
            options={LANGS.map((l) => ({ value: l, label: l === 'zh-CN' ? '中文' : 'English' }))}
            onChange={setLang}
            name="lang"
          />
          {me ? (
            <>
              <span className="who">{t('app.signedInAs', { name: me.name, id: me.id, role: me.role })}</span>
              <button type="button" onClick={() => void signOut()}>
                {t('app.logout')}
              </button>
            </>
          ) : null}
        </div>
      </header>
      <div className="layout">
        <main id="main" tabIndex={-1}>
          {body}
        </main>
        {me && !security ? (
          <aside aria-label={t('quota.title')}>
            <QuotaPanel version={dataVersion} />
          </aside>
        ) : null}
      </div>
    </LangContext.Provider>
  );
}

interface StaffProps {
  readonly search: SearchState;
  readonly setSearch: (s: SearchState) => void;
  readonly onData: (p: Page) => void;
  readonly onRecord: (data: { readonly watermark?: Watermark }) => void;
  readonly dataVersion: number;
}

function renderPage(route: readonly string[], me: Me, security: boolean, staff: StaffProps): ReactNode {
  const [a, b, c] = route;
  if (a === 'security') {
    if (!security) return <ForbiddenPage />;
    switch (b) {
      case 'alerts':
        return <AlertsPage me={me} />;
      case 'holds':
        return <HoldsPage me={me} />;
      case 'people':
        return <PersonPage key={c ?? ''} staffId={c} />;
      case 'ledger':
        return <LedgerPage me={me} />;
      case 'who-saw':
        return <WhoSawPage />;
      case 'view-code':
        return <ViewCodePage />;
      case 'risk':
        return <RiskPage />;
      case 'heatmap':
        return <HeatmapPage />;
      case 'cases':
        return c === undefined ? <CasesPage /> : c === 'new' ? <ComplaintPage /> : <CasePage key={c} id={c} />;
      case 'trace':
        return <TracePage />;
      case 'policy':
        return <PolicyPage />;
      case 'canaries':
        return <CanariesPage />;
      default:
        return <AlertsPage me={me} />;
    }
  }
  if (a === 'approvals') return <ApprovalsPage />;
  if (security) return <AlertsPage me={me} />;
  switch (a) {
    case 'requests':
      return <RequestsPage />;
    case 'exports':
      return <ExportsPage me={me} />;
    case 'customers':
      return b === undefined ? <SearchPage state={staff.search} setState={staff.setSearch} onData={staff.onData} /> : <RecordPage key={b} id={b} role={me.role} onData={staff.onRecord} />;
    case 'mine':
      return <AssignedPage onData={staff.onData} />;
    default:
      return <SearchPage state={staff.search} setState={staff.setSearch} onData={staff.onData} />;
  }
}
