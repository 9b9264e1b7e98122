/**
 * Which CSVs built in the browser a role may report to the audit trail (POST /audit/exports,
 * app/routes/audit_.exports.tsx). Those files never pass through the server, so the server
 * cannot record them where it serves them; it records a report only if it is a file that the
 * signed-in role could have made on that page. A fresh-clone trial posted, as a governor,
 * `file=pupils_….csv, rows=240, page=the Pupils list`, and the trail showed a governor
 * exporting 240 pupils' rows from a page a governor cannot open.
 *
 * A report is accepted when all hold:
 * - `page` is the path of a page with charts (CHART_PAGES) whose loader the role may use — the
 *   same table the server's route guards are tested against (ROUTE_ACCESS, app/lib/access.ts);
 * - the file name's first part is one of that page's chart names (each ChartFigure's `filename`);
 * - its last part is the role's audience ("staff" or "governors", app/lib/download-name.ts),
 *   as every chart CSV's name ends (analytics/download-names.ts), and it ends ".csv";
 * - every part of the name is a slug, as downloadFileName makes them;
 * - `rows` is a whole number from 0 to 100,000.
 * The page is recorded by its path alone.
 */
import { slug } from "../../analytics/download-names.ts";
import { loaderAccess } from "./access";
import { downloadAudience } from "./download-name";
import { can, type Role } from "./permissions";

/** The pages that offer a chart's "Download CSV": path pattern, Remix route id, and the chart names allowed (given the path's match). */
const CHART_PAGES: Array<{ path: RegExp; routeId: string; charts: (match: RegExpExecArray) => RegExp }> = [
  { path: /^\/$/, routeId: "routes/_index", charts: () => /^weekly-attendance$/ },
  { path: /^\/trends$/, routeId: "routes/trends", charts: () => /^(?:(?:attendance|absence)-by-[a-z]+|attendance-by-school-week-per-year)$/ },
  { path: /^\/codes$/, routeId: "routes/codes", charts: () => /^(?:absence-codes|code-categories)-by-[a-z]+$/ },
  { path: /^\/patterns$/, routeId: "routes/patterns", charts: () => /^attendance-by-(?:weekday|session)$/ },
  { path: /^\/groups$/, routeId: "routes/groups", charts: () => /^groups-[a-z0-9-]+$/ },
  { path: /^\/classes$/, routeId: "routes/classes", charts: () => /^(?:year-groups|classes)$/ },
  {
    path: /^\/pupils\/([A-Za-z0-9]+)$/,
    routeId: "routes/pupils.$upn",
    charts: (match) => new RegExp(`^pupil-${match[1].toLowerCase()}-attendance-by-[a-z]+$`),
  },
];

export const MAX_EXPORT_ROWS = 100_000;

/** The verdict on a report: the page to record (its path) or, refused, why in plain words. */
export type BrowserExportCheck = { ok: true; page: string; rows: number } | { ok: false; why: string };

/**
 * Whether `role` may report `file` (rows `rowsText`) as built on `page` (a path with an optional
 * query, as window.location gives it). Pure: the caller records the verdict.
 */
export function checkBrowserExport(role: Role, file: string, rowsText: string, page: string): BrowserExportCheck {
  const rows = Number(rowsText);
  if (!/^\d+$/.test(rowsText) || rows > MAX_EXPORT_ROWS) return { ok: false, why: `the row count "${rowsText.slice(0, 20)}" is not a whole number up to ${MAX_EXPORT_ROWS}` };
  const path = page.split("?")[0];
  let chartPage: (typeof CHART_PAGES)[number] | undefined;
  let match: RegExpExecArray | null = null;
  for (const candidate of CHART_PAGES) {
    match = candidate.path.exec(path);
    if (match) {
      chartPage = candidate;
      break;
    }
  }
  if (!chartPage || !match) return { ok: false, why: `no chart CSV is made on ${path.slice(0, 100) || "that page"}` };
  const access = loaderAccess(chartPage.routeId, {});
  const mayOpen = access === "signed_in" || (access !== undefined && access !== "public" && can(role, access));
  if (!mayOpen) return { ok: false, why: `this role may not open ${path}` };
  const parts = file.replace(/\.csv$/, "").split("_");
  if (!file.endsWith(".csv") || parts.length < 2) return { ok: false, why: "the file is not a chart's CSV" };
  const audience = downloadAudience(role);
  if (parts[parts.length - 1] !== audience) return { ok: false, why: `the file is not named for this role's audience ("${audience}")` };
  if (!chartPage.charts(match).test(parts[0])) return { ok: false, why: `${path} has no chart named "${parts[0].slice(0, 60)}"` };
  // Every part of a chart CSV's name is a slug, as downloadFileName makes it (the same slug()):
  // lower-case words and digits joined by hyphens, at most 40 characters. A trial put "George Baker T8933…"
  // between an allowed chart name and "_governors".
  if (parts.length > 12 || !parts.every((part) => part !== "" && slug(part) === part)) return { ok: false, why: "the file is not named as a chart's CSV is" };
  // The page is recorded by its path: a query string is the sender's words, not the server's.
  return { ok: true, page: path, rows };
}
