/**
 * The groups of a period's breakdown by week, month or half term that the period's own ends cut
 * short: a week, month or half term of which the period holds only some school days (November's
 * last week, Monday 30 November, one school day of five; the week in progress, its days to the
 * register's last marks, however far the period runs). A chart of session counts draws such a
 * group's bar beside whole ones, and a bar of one day in five read as absence falling sharply
 * in the last week (trial 51: the Codes page's last month). The pages say which groups are
 * cut and by how much (app/routes/codes.tsx).
 */
import { cachedRows, type Connection } from "./db.ts";
import { listWords } from "./list-words.ts";
import { periodGroupWords } from "./period-group-words.ts";
import { registerMarkSpan } from "./periods.ts";

/** One group cut short: its key (as summariseBy gives it) and its school days, in the period and in all. */
export interface CutGroup {
  group: string;
  /** School days of the group inside the period (1 … schoolDays − 1). */
  schoolDaysInPeriod: number;
  /** School days of the whole group in the school's calendar. */
  schoolDays: number;
}

/** How each grain's group is keyed from a school day, as analytics/measures.ts keys it (SESSION_DIMENSION_SQL): a closed list. */
const GROUP_SQL = {
  week: "strftime(date_trunc('week', date), '%Y-%m-%d')",
  month: "strftime(date, '%Y-%m')",
  half_term: "half_term",
} as const;

export type CutGrain = keyof typeof GROUP_SQL;

/** Whether a breakdown's grain can cut groups short (other grains answer no group). */
export function isCutGrain(grain: string): grain is CutGrain {
  return Object.hasOwn(GROUP_SQL, grain);
}

/**
 * The period's cut groups in date order: only those with school days both inside the period
 * (`from`–`to`, ISO, inclusive) and outside it — the first and last groups at most. Read from
 * the calendar's school days (`school_days`), so a group's days are the school's, not the
 * weekdays: a week with a bank holiday has 4. The period's days are counted only within the
 * register's first and last marked days (analytics/periods.ts registerMarkSpan), as its bars
 * are: a custom range past today, or a register behind, holds no marks after the last, so the
 * week in progress is a bar of its days so far however far the range runs; a register begun
 * on a Wednesday draws its first week from three days. Empty for a grain other than week,
 * month or half term, when the period starts and ends on its groups' first and last school
 * days, or when the register has no marks (no bars).
 */
export async function groupsCutByPeriod(connection: Connection, period: { from: string; to: string }, grain: string): Promise<CutGroup[]> {
  if (!isCutGrain(grain)) return [];
  const key = GROUP_SQL[grain];
  const span = await registerMarkSpan(connection);
  if (!span) return [];
  const from = period.from > span.first ? period.from : span.first;
  const to = period.to < span.last ? period.to : span.last;
  const rows = await cachedRows<{ grp: string; in_period: number; whole: number }>(
    connection,
    `WITH days AS (SELECT ${key} AS grp, date FROM school_days),
          touched AS (SELECT DISTINCT grp FROM days WHERE date BETWEEN $from::DATE AND $to::DATE)
     SELECT grp, count(*) FILTER (WHERE date BETWEEN $from::DATE AND $to::DATE)::INTEGER AS in_period, count(*)::INTEGER AS whole
     FROM days WHERE grp IN (SELECT grp FROM touched)
     GROUP BY grp HAVING count(*) FILTER (WHERE date BETWEEN $from::DATE AND $to::DATE) < count(*)
     ORDER BY min(date)`,
    { from, to },
  );
  return rows.map((row) => ({ group: row.grp, schoolDaysInPeriod: Number(row.in_period), schoolDays: Number(row.whole) }));
}

/**
 * The cut groups in a sentence for a chart of session counts, or null when none is cut: "One
 * week is only partly in the period, so its bars count only the school days inside it: w/c 30
 * Nov 2026 (1 of its 5 school days)." Groups named as the pages name them
 * (analytics/period-group-words.ts).
 */
export function cutGroupsWords(cuts: readonly CutGroup[], grain: CutGrain): string | null {
  if (cuts.length === 0) return null;
  const noun = grain === "half_term" ? "half term" : grain;
  const each = cuts.map((cut) => `${periodGroupWords(grain, cut.group)} (${cut.schoolDaysInPeriod} of its ${cut.schoolDays} school days)`);
  const which = cuts.length === 1 ? `One ${noun} is` : `${cuts.length} ${noun}s are`;
  return `${which} only partly in the period, so ${cuts.length === 1 ? "its bars count" : "their bars count"} only the school days inside it: ${listWords(each, "and")}.`;
}
