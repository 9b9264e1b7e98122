/**
 * How a period breakdown's group reads in words, the same on the dashboard's charts and tables
 * (app/lib/grain.ts describeGroup) and in `rollcall summary` (analytics/cli/summary-text.ts):
 * a week by its Monday ("w/c 7 Sep 2026"), a month ("Sep 2026"), a half term or term by its
 * name ("Autumn 1 2026": analytics/period-names.ts), anything else (an academic year "2025/26",
 * a date) as its key. Pure and client-safe.
 */
import { format, parseISO } from "date-fns";
import { enGB } from "date-fns/locale";
import { formatTermKey } from "./period-names.ts";

/**
 * `grain`: the breakdown's dimension ("week", "month", "half_term", "term", others);
 * `key`: its group key as the measures give it (ISO Monday, "YYYY-MM", a term key);
 * `short`: a week without its year ("w/c 7 Sep"), for a chart's axis.
 */
export function periodGroupWords(grain: string, key: string, short = false): string {
  switch (grain) {
    case "week":
      return /^\d{4}-\d{2}-\d{2}$/.test(key) ? `w/c ${format(parseISO(key), short ? "d MMM" : "d MMM yyyy", { locale: enGB })}` : key;
    case "month":
      return /^\d{4}-\d{2}$/.test(key) ? format(parseISO(`${key}-01`), "MMM yyyy", { locale: enGB }) : key;
    case "half_term":
    case "term":
      return formatTermKey(key);
    default:
      return key;
  }
}
