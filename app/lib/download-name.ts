/**
 * The file name of a CSV a page builds in the browser (every chart's "Download CSV"): the
 * chart's own name, then the page's period and pupil filters as its loader resolved them
 * (`period` {from, to} and `filters` in the route's data), then "staff" or "governors" — a
 * governor's figures withhold small groups, so the head's file and a governor's of the same
 * chart never share a name (analytics/download-names.ts).
 */
import { useLoaderData } from "@remix-run/react";
import { downloadFileName, type DownloadAudience } from "../../analytics/download-names.ts";
import { PUPIL_FILTER_KEYS } from "../../analytics/characteristic-words.ts";
import { can } from "./permissions";
import { useUser } from "./use-user";

/** Staff see every figure; a role without pupil-level access (governor) gets small counts withheld. The report route's rule. */
export function downloadAudience(role: string | null | undefined): DownloadAudience {
  return can(role, "view_pupils") ? "staff" : "governors";
}

interface ViewData {
  period?: { from?: unknown; to?: unknown };
  filters?: Record<string, unknown>;
}

/** `base` ("groups-sen") as the whole file name for the page it is on: "groups-sen_2025-09-01-to-2025-12-19_fsm-y_governors.csv". */
export function useDownloadName(base: string): string {
  const data = useLoaderData() as ViewData | null;
  const user = useUser();
  const from = data?.period?.from;
  const to = data?.period?.to;
  const filters = data?.filters ?? {};
  return downloadFileName({
    base,
    period: typeof from === "string" && typeof to === "string" ? { from, to } : null,
    options: PUPIL_FILTER_KEYS.map((key) => [key, typeof filters[key] === "string" ? (filters[key] as string) : null] as const),
    audience: downloadAudience(user?.role),
    ext: "csv",
  });
}
