/**
 * What a source URL and its verbatim excerpt say about a figure that national.csv has no
 * column for: which release of the publication it is, and the last day of data it covers.
 * Both are read from the published text, never supplied by hand.
 */

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

function ukDateToIso(day: string, month: string, year: string): string | null {
  const m = MONTHS.indexOf(month.toLowerCase());
  if (m < 0) return null;
  return `${year}-${String(m + 1).padStart(2, "0")}-${day.padStart(2, "0")}`;
}

/**
 * The last day of data an excerpt states: the dashboard's `end_date <- as.Date("…")`,
 * "latest full day of data (06 February 2026)" or "the period from … to 06 December 2024".
 */
export function periodEndFromExcerpt(excerpt: string): string | null {
  const endDate = /end_date\s*<-\s*as\.Date\("(\d{4}-\d{2}-\d{2})"\)/.exec(excerpt);
  if (endDate) return endDate[1];
  const latest = /latest full day of data \((\d{1,2}) ([A-Za-z]+) (\d{4})\)/.exec(excerpt);
  if (latest) return ukDateToIso(latest[1], latest[2], latest[3]);
  const range = /period from \d{1,2} [A-Za-z]+ \d{4} to (\d{1,2}) ([A-Za-z]+) (\d{4})/.exec(excerpt);
  if (range) return ukDateToIso(range[1], range[2], range[3]);
  return null;
}

/**
 * A short name for the release a URL points at: "2025 week 29", "2024/25 autumn term",
 * "dashboard data, commit f9c6744", "table tool", "data catalogue". Sortable within a kind,
 * so that of two versions of one figure the later release can be preferred.
 */
export function releaseFromUrl(url: string): string {
  const week = /\/(\d{4})-week-(\d{1,2})(?:[/?#]|$)/.exec(url);
  if (week) return `${week[1]} week ${week[2].padStart(2, "0")}`;
  const commit = /\/blob\/([0-9a-f]{7})[0-9a-f]*\//.exec(url);
  if (commit) return `dashboard data, commit ${commit[1]}`;
  if (url.includes("/data-tables/")) return "table tool";
  if (url.includes("/data-catalogue/")) return "data catalogue";
  const census = /\/find-statistics\/[a-z-]+\/(\d{4})-(\d{2})(-[a-z-]+)?(?:[/?#]|$)/.exec(url);
  if (census) return `${census[1]}/${census[2]}${census[3] ? census[3].replace(/-/g, " ") : " full year"}`;
  return "latest release at the time";
}

/** Decimal places as printed: "5.20" has 2. More places marks the newer DfE releases. */
export function decimalPlaces(valueText: string): number {
  const dot = valueText.indexOf(".");
  return dot < 0 ? 0 : valueText.length - dot - 1;
}
