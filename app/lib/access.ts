/**
 * Who may use each route: one entry per file in app/routes, keyed by Remix route id. Each
 * route's loader and action enforce this on the server (requireRole in
 * app/lib/auth.server.ts); this table is what the tests check them against, so a route
 * whose guard is missing or wrong fails test/browser/access.test.ts, and a route file with no
 * entry here fails test/access-table.test.ts.
 *
 * - `public`: anyone, signed in or not (only the sign-in page).
 * - `signed_in`: any signed-in user.
 * - a permission: signed-in users whose role has it (analytics/users/roles.ts).
 * - a function of the URL parameters, for routes whose parameter decides (packs).
 * `kind: "download"` marks resource routes: unsigned requests get 401, not a redirect.
 */
import type { Permission } from "./permissions";

export type Access = Permission | "public" | "signed_in";

export interface RouteAccess {
  kind: "page" | "download";
  loader: Access | ((params: Record<string, string | undefined>) => Access);
  /** Present when the route has an action (a form posts to it). */
  action?: Access;
  /** Sample URL parameters for the tests' visit of every route (each value is visited). */
  samples?: Record<string, string[]>;
  /** A query string those visits add (e.g. the period a download needs). */
  query?: string;
}

export const ROUTE_ACCESS: Record<string, RouteAccess> = {
  "routes/_index": { kind: "page", loader: "view_aggregates" },
  "routes/trends": { kind: "page", loader: "view_aggregates" },
  "routes/codes": { kind: "page", loader: "view_aggregates" },
  "routes/patterns": { kind: "page", loader: "view_aggregates" },
  "routes/groups": { kind: "page", loader: "view_aggregates" },
  "routes/classes": { kind: "page", loader: "view_aggregates" },
  "routes/pupils._index": { kind: "page", loader: "view_pupils" },
  "routes/pupils[.]csv": { kind: "download", loader: "view_pupils" },
  // samples: "UPN" stands for a real pupil of the database under test.
  "routes/pupils.$upn": { kind: "page", loader: "view_pupils", action: "record_interventions", samples: { upn: ["UPN"] } },
  "routes/casework": { kind: "page", loader: "view_pupils" },
  "routes/trust": { kind: "page", loader: "view_pupils" },
  "routes/casework[.]csv": { kind: "download", loader: "view_pupils" },
  "routes/interventions": { kind: "page", loader: "view_pupils" },
  "routes/early-warning": { kind: "page", loader: "view_pupils" },
  "routes/quality": { kind: "page", loader: "view_pupils" },
  "routes/benchmarks": { kind: "page", loader: "view_benchmarks", action: "import" },
  "routes/benchmarks.report.$format": { kind: "download", loader: "view_benchmarks", samples: { format: ["pdf", "xlsx", "csv"] }, query: "year=2025/26" },
  "routes/packs._index": { kind: "page", loader: "view_fgb_pack" },
  "routes/packs.fgb": { kind: "page", loader: "view_fgb_pack", action: "write_commentary", query: "term=autumn-2026" },
  "routes/packs.slt": { kind: "page", loader: "view_slt_pack", query: "month=2026-10" },
  "routes/packs.$kind.$format": {
    kind: "download",
    loader: (params) => (params.kind === "slt" ? "view_slt_pack" : "view_fgb_pack"),
    samples: { kind: ["slt", "fgb"], format: ["pdf", "xlsx", "html"] },
    query: "month=2026-10&term=autumn-2026",
  },
  "routes/imports._index": { kind: "page", loader: "view_pupils" },
  "routes/imports.$id": { kind: "page", loader: "view_pupils", samples: { id: ["1"] } },
  "routes/import": { kind: "page", loader: "import", action: "import" },
  "routes/import_.progress": { kind: "download", loader: "import", query: "token=0000000000000000" },
  "routes/settings": { kind: "page", loader: "change_settings", action: "change_settings" },
  "routes/users": { kind: "page", loader: "manage_users", action: "manage_users" },
  "routes/audit": { kind: "page", loader: "view_audit" },
  "routes/audit[.]csv": { kind: "download", loader: "view_audit" },
  // Only an action: the browser reports a CSV it built from the page (any signed-in user).
  "routes/audit_.exports": { kind: "download", loader: "signed_in", action: "signed_in" },
  "routes/definitions": { kind: "page", loader: "signed_in" },
  "routes/login": { kind: "page", loader: "public", action: "public" },
  "routes/logout": { kind: "page", loader: "signed_in", action: "signed_in" },
  // Your own account: change your own password (the session's own account only).
  "routes/account": { kind: "page", loader: "signed_in", action: "signed_in" },
};

/** The access a route's loader needs for given URL parameters; undefined for an unknown route. */
export function loaderAccess(routeId: string, params: Record<string, string | undefined> = {}): Access | undefined {
  const entry = ROUTE_ACCESS[routeId];
  if (!entry) return undefined;
  return typeof entry.loader === "function" ? entry.loader(params) : entry.loader;
}
