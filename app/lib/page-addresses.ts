/**
 * Which addresses of the pages kept for a role are worth making again after a commit
 * (scripts/page-cache.js rememberRolePages; scripts/warm-up.js makes them first in its next
 * round). A closed allow-list per route of the query parameters its loader reads, kept here
 * beside the routes: a page whose address names any other parameter (`/pupils?x=1`,
 * `/groups?utm_source=…`, a misspelt filter `yeargroup=5`, a one-off `saved=1` or an import's
 * `progress=` token), names one twice or empty, or gives a page number or direction no link
 * gives, is one a reader typed or was sent once: made again after every import, up to 200 of
 * them had crowded out the pupils' pages and import records readers return to (trial 47). Such
 * a page is still shown to whoever opens it, exactly as before (and made for their role then);
 * it is only not made again ahead of them. What a parameter's value means (a filter naming no
 * group of the school, a page past the list's end) is the loader's to say; the page cache makes
 * again only pages someone read in the last hour (scripts/page-cache.js READ_RECENTLY_MS), most
 * recently read first, so a well-formed address opened once is made again only for that hour.
 *
 * Sources: each route's loader (`resolveView`'s `reads`, `repeatedWords` lists, the
 * searchParams it gets); a route added or a parameter read anew belongs here too, or its
 * filtered pages are only made on a reader's request after each commit (nothing is shown wrong).
 */
import { PUPIL_FILTER_KEYS } from "../../analytics/characteristic-words.ts";
import { VIEW_PARAMS } from "./filters";

/** Single fetch's own parameter on a `.data` address: the routes whose data is asked for. */
const SINGLE_FETCH = "_routes";

/** Path (without a `.data` suffix; `/_root.data` is the Overview's) → the parameters its loader reads. */
const PAGE_PARAMETERS: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/^\/(_root)?$/, VIEW_PARAMS],
  [/^\/(trends|codes)$/, [...VIEW_PARAMS, "by"]],
  [/^\/(patterns|groups|classes)$/, VIEW_PARAMS],
  [/^\/pupils\/[A-Za-z0-9]+$/, VIEW_PARAMS],
  [/^\/pupils$/, [...VIEW_PARAMS, "drill", "q", "attendance", "trend", "sort", "dir", "page"]],
  [/^\/casework$/, ["asOf", "rule", "sort", "dir", "page", ...PUPIL_FILTER_KEYS]],
  [/^\/early-warning$/, [...VIEW_PARAMS, "asOf"]],
  [/^\/interventions$/, [...VIEW_PARAMS, "type", "sort", "dir", "page"]],
  [/^\/quality$/, [...VIEW_PARAMS, "overdue.sort", "overdue.dir", "overdue.page", "pending.sort", "pending.dir", "pending.page"]],
  [/^\/benchmarks$/, ["year", "period", "half", "term", "from", "to", "area", "groups", "figures"]],
  // A pack's page and its document: the month (SLT) or term (FGB) it covers. The FGB pack's
  // `saved=1`, said once after its commentary is saved, is not one to make again.
  [/^\/packs\/slt(\/html)?$/, ["month"]],
  [/^\/packs\/fgb(\/html)?$/, ["term"]],
  [/^\/trust$/, ["year", "school", "by"]],
  [/^\/audit$/, ["from", "to", "actor", "role", "action", "from_where", "page"]],
  // Pages that read no parameter: only their plain address is made again.
  [/^\/(packs|definitions|import|imports|settings)$/, []],
  [/^\/imports\/\d+$/, []],
];

/** Values a link of the app gives, for the parameters whose values are a closed set or a number. */
function plausibleValue(name: string, value: string): boolean {
  if (name === "page" || name.endsWith(".page")) return /^[1-9]\d{0,2}$/.test(value);
  if (name === "dir" || name.endsWith(".dir")) return value === "asc" || value === "desc";
  return value.trim() !== "" && value.length <= 100;
}

/**
 * Whether the page at `url` (a path and query, as the page cache keys it: `req.originalUrl`)
 * is worth making again ahead of its readers after a commit: its path is one of the pages
 * above and its query names only parameters that page reads, each once, with a value a link
 * could give. Pure; never throws (an address that is no URL is not worth it).
 */
export function worthMakingAgain(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url, "http://localhost");
  } catch {
    return false;
  }
  const data = parsed.pathname.endsWith(".data");
  const pathname = data ? parsed.pathname.slice(0, -".data".length) : parsed.pathname;
  const reads = PAGE_PARAMETERS.find(([pattern]) => pattern.test(pathname))?.[1];
  if (!reads) return false;
  const seen = new Set<string>();
  for (const [name, value] of parsed.searchParams) {
    if (seen.has(name)) return false;
    seen.add(name);
    if (data && name === SINGLE_FETCH) continue;
    if (!reads.includes(name) || !plausibleValue(name, value)) return false;
  }
  return true;
}
