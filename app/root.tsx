import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLoaderData,
  useRouteLoaderData,
  useLocation,
  useMatches,
  useNavigation,
  useRouteError,
} from "@remix-run/react";
import { useEffect, useRef } from "react";
import stylesheet from "~/styles/app.css";
import { withDb, withDbFile } from "~/lib/db.server";
import { getSettings, keptSettings } from "~/lib/analytics.server";
import { getUser } from "~/lib/auth.server";
import { ROLE_LABELS, can, type Permission } from "~/lib/permissions";
import { navSearch } from "~/lib/filters";
import { CsrfInput } from "~/components/CsrfInput";
import { useNonce } from "~/lib/nonce";
import { withheldExplanation } from "~/lib/withheld";
import { FOLD_MAX_WIDTH, useFold } from "~/lib/fold";
import { pageName } from "~/lib/page-name";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Rollcall — attendance analytics" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // Every page made reads them: kept since the last commit, without waiting for a connection (keptSettings).
  const settings = async () => (await withDbFile((file) => keptSettings(file))) ?? (await withDb((c) => getSettings(c)));
  const [{ school_name, small_group_min }, user] = await Promise.all([settings(), getUser(request)]);
  return {
    schoolName: school_name,
    // For a governor's footnote on withheld figures (withheldExplanation).
    smallGroupMin: small_group_min,
    trust: Boolean(process.env.ROLLCALL_TRUST_LAKE),
    // Only what the page needs: the name and role for the header, the token for forms.
    user: user ? { name: user.name, email: user.email, role: user.role, csrfToken: user.csrfToken } : null,
  };
}

/**
 * The sections of the service, in the order a meeting usually takes them, each with the
 * permission it needs: a role sees only the sections it may open (app/lib/access.ts).
 */
const NAVIGATION: Array<{ to: string; label: string; permission: Permission; trustOnly?: boolean }> = [
  { to: "/", label: "Overview", permission: "view_aggregates" },
  { to: "/trends", label: "Trends", permission: "view_aggregates" },
  { to: "/codes", label: "Codes", permission: "view_aggregates" },
  { to: "/patterns", label: "Patterns", permission: "view_aggregates" },
  { to: "/groups", label: "Groups", permission: "view_aggregates" },
  { to: "/classes", label: "Year groups & classes", permission: "view_aggregates" },
  { to: "/pupils", label: "Pupils", permission: "view_pupils" },
  { to: "/benchmarks", label: "Benchmarks", permission: "view_benchmarks" },
  { to: "/packs", label: "Report packs", permission: "view_fgb_pack" },
  { to: "/quality", label: "Register checks", permission: "view_pupils" },
  { to: "/casework", label: "Casework", permission: "view_pupils" },
  { to: "/interventions", label: "Interventions", permission: "view_pupils" },
  { to: "/early-warning", label: "Early warning", permission: "view_pupils" },
  // Only where a trust's register lake is set up (ROLLCALL_TRUST_LAKE).
  { to: "/trust", label: "Trust", permission: "view_pupils", trustOnly: true },
  { to: "/import", label: "Import", permission: "import" },
  { to: "/settings", label: "Settings", permission: "change_settings" },
  { to: "/audit", label: "Audit", permission: "view_audit" },
  { to: "/users", label: "Users", permission: "manage_users" },
];

type HeaderUser = { name: string; role: keyof typeof ROLE_LABELS; csrfToken?: string } | null;

function Document({ children, schoolName, user, smallGroupMin }: { children: React.ReactNode; schoolName?: string; user?: HeaderUser; smallGroupMin?: number }) {
  const nonce = useNonce();
  // Stamped once React has hydrated (every page, error pages included, renders this), so a test
  // or a script knows the page's controls answer: a change made before then is lost.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* Read by fetches the page makes itself (app/lib/export-audit.ts), which carry no form. */}
        {user?.csrfToken ? <meta name="csrf-token" content={user.csrfToken} /> : null}
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to main content
        </a>
        <header className="site-header">
          <div className="site-header__inner">
            <Link to="/" className="site-header__brand">
              Rollcall
            </Link>
            {schoolName ? <span className="site-header__school">{schoolName}</span> : null}
            {user ? (
              <Form method="post" action="/logout" className="site-header__user" reloadDocument>
                <CsrfInput />
                {/* Your account: change your own password. */}
                <Link to="/account" className="site-header__account" title="Your account: change your password">
                  {user.name} <span className="site-header__role">({ROLE_LABELS[user.role]})</span>
                </Link>
                <button type="submit" className="button button--secondary">
                  Sign out
                </button>
              </Form>
            ) : null}
          </div>
        </header>
        {children}
        <footer className="site-footer no-print">
          <p>
            <a href="/definitions" data-testid="how-calculated">
              How is this calculated?
            </a>{" "}
            Codes, measures, the population compared with published figures, and the figures withheld from governors.
          </p>
          {/* Governors: why a figure reads "withheld", said once for every figure on the page. */}
          {user && !can(user.role, "view_pupils") ? (
            <p className="hint" data-testid="withheld-footnote">
              <strong>Withheld:</strong> {withheldExplanation(smallGroupMin)}
            </p>
          ) : null}
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/**
 * The section links carry the period and filters of `search` (navSearch: those alone) so a view
 * survives navigation. On a phone they fold into a "Menu" that names the page open
 * (app/lib/fold.ts; the name: app/lib/page-name.ts); wider, they show as a row of links, the summary hidden.
 */
function Navigation({ search, role, trust = false }: { search: string; role: string | null; trust?: boolean }) {
  const { pathname } = useLocation();
  const matches = useMatches();
  const menu = useRef<HTMLDetailsElement>(null);
  useFold(menu);
  // A link followed inside the app keeps the layout: fold the menu again on a phone.
  useEffect(() => {
    if (menu.current && window.matchMedia(`(max-width: ${FOLD_MAX_WIDTH}px)`).matches) menu.current.open = false;
  }, [pathname]);
  if (!role) return null;
  const items = NAVIGATION.filter((item) => can(role, item.permission) && (trust || !item.trustOnly));
  // The page open, named on a phone for every page, a section's or not (app/lib/page-name.ts).
  const current = pageName(pathname, NAVIGATION, matches);
  return (
    <nav className="site-nav" aria-label="Sections">
      <details className="fold site-nav__fold" ref={menu}>
        <summary className="fold__summary" data-testid="nav-menu">
          Menu
          {current ? (
            <span className="site-nav__current">
              <span className="visually-hidden">, this page: </span>
              {current}
            </span>
          ) : null}
        </summary>
        <ul>
          {items.map((item) => (
            <li key={item.to}>
              <NavLink to={{ pathname: item.to, search: navSearch(search) }} end={item.to === "/"} prefetch="intent">
                {item.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </details>
    </nav>
  );
}

export default function App() {
  const { schoolName, user, trust, smallGroupMin } = useLoaderData<typeof loader>();
  const location = useLocation();
  const navigation = useNavigation();
  return (
    <Document schoolName={schoolName} user={user} smallGroupMin={smallGroupMin}>
      <Navigation search={location.search} role={user?.role ?? null} trust={trust} />
      {/* data-location changes in the same render as the page it shows (navigations render in a
          transition, a moment after the address bar changes); aria-busy tells assistive
          technology the figures are being replaced. */}
      <main id="main" className="page" data-location={location.pathname + location.search} aria-busy={navigation.state !== "idle"}>
        <Outlet />
      </main>
    </Document>
  );
}

/** A page that does not exist: said in words, with the way on, never the router's message. */
function NotFound() {
  const location = useLocation();
  const user = useRouteLoaderData<typeof loader>("root")?.user ?? null;
  return (
    <Document user={user}>
      <Navigation search="" role={user?.role ?? null} />
      <main id="main" className="page" data-testid="not-found">
        <h1>Page not found</h1>
        <p>
          There is no page at <code>{location.pathname}</code>. The address may be mistyped, or the page may have moved.
        </p>
        <ul>
          <li>
            <a href="/">Go to the overview</a>
          </li>
          <li>
            <a href="/definitions">How the figures are calculated</a>
          </li>
        </ul>
      </main>
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFound />;
  const title = !isRouteErrorResponse(error)
    ? "Something went wrong"
    : error.status === 403
      ? "403 — Not allowed"
      : error.status === 401
        ? "401 — Sign in first"
        : `${error.status} ${error.statusText}`;
  const detail = isRouteErrorResponse(error) ? String(error.data) : error instanceof Error ? error.message : String(error);
  return (
    <Document>
      <main id="main" className="page">
        <h1>{title}</h1>
        <p className="error-detail">{detail}</p>
        <p>
          <a href="/">Return to the overview</a>
        </p>
      </main>
    </Document>
  );
}
