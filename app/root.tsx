import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLoaderData,
  useLocation,
  useNavigation,
  useRouteError,
} from "@remix-run/react";
import stylesheet from "~/styles/app.css";
import { withDb } from "~/lib/db.server";
import { getSettings } from "~/lib/analytics.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Rollcall — attendance analytics" }];

export async function loader(_args: LoaderFunctionArgs) {
  const settings = await withDb((c) => getSettings(c));
  return { schoolName: settings.school_name };
}

/** The sections of the service, in the order a meeting usually takes them. */
const NAVIGATION: Array<{ to: string; label: string }> = [
  { to: "/", label: "Overview" },
  { to: "/trends", label: "Trends" },
  { to: "/codes", label: "Codes" },
  { to: "/patterns", label: "Patterns" },
  { to: "/groups", label: "Groups" },
  { to: "/classes", label: "Year groups & classes" },
  { to: "/pupils", label: "Pupils" },
  { to: "/benchmarks", label: "Benchmarks" },
  { to: "/packs", label: "Report packs" },
  { to: "/quality", label: "Register checks" },
  { to: "/casework", label: "Casework" },
  { to: "/import", label: "Import" },
  { to: "/settings", label: "Settings" },
];

function Document({ children, schoolName }: { children: React.ReactNode; schoolName?: string }) {
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
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
          </div>
        </header>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

/** The section links carry the period and filters (`search`) so a view survives navigation. */
function Navigation({ search }: { search: string }) {
  return (
    <nav className="site-nav" aria-label="Sections">
      <ul>
        {NAVIGATION.map((item) => (
          <li key={item.to}>
            <NavLink to={{ pathname: item.to, search }} end={item.to === "/"} prefetch="intent">
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export default function App() {
  const { schoolName } = useLoaderData<typeof loader>();
  const location = useLocation();
  const navigation = useNavigation();
  return (
    <Document schoolName={schoolName}>
      <Navigation search={location.search} />
      {/* data-location changes in the same render as the page it shows (navigations render in a
          transition, a moment after the address bar changes); aria-busy tells assistive
          technology the figures are being replaced. */}
      <main id="main" className="page" data-location={location.pathname + location.search} aria-busy={navigation.state !== "idle"}>
        <Outlet />
      </main>
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const title = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : "Something went wrong";
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
