/**
 * When the register first showed a ladder step's rule met: a line crossed, the penalty-notice
 * threshold met (ladder.ts dates a step from it; a step cannot be late before the school could
 * know of it).
 *
 * A line is crossed, or the threshold met, on a day of the register (the rule's date). The
 * register showed it then unless a mark the rule rests on was changed later: an amendment
 * (by an import, recorded in `amendments` with the day it was made) of a mark dated on or before
 * that day, made after it — a late-recorded O for October imported on 30 November. Then the
 * register showed the pupil past the line on a day only once enough of those changes were made:
 * the day shown is the first day on which the register as it stood then (the changes made since
 * undone) had the pupil past the line on the latest day of their current run by then (as a
 * ladder read that day would have shown it), and a step is due from that day, not the crossing
 * ("due from 30 Nov, when the register first showed it; the line was crossed on 14 Oct").
 *
 * Why amendments and not the import of each mark (`mark_store.import_id`):
 * - A mark imported for the first time is the register as the school kept it on its day, read
 *   a few days later (the weekly import): the week's crossings are due from their own days, as
 *   before. Only a change to a mark already imported says the register itself changed later.
 * - A change that moves no figure the rule reads (N resolved to O, both unauthorised absence; a
 *   late minute corrected) shows nothing new, and is not counted: `import_id` is rewritten by any
 *   change, and N codes are resolved every week, so each would have restarted the grace of every
 *   step from before it.
 * - A change that only deepens a crossing the register already showed (an O recorded late for a
 *   pupil below the line since October) leaves the step dated from when it was first shown: the
 *   register as it stood before the change had the pupil past the line already.
 *
 * A view of a past date D (the Casework page with `asOf`, last month's SLT pack made in the first
 * week of this one, their CSV) reads the register as it stands now, every change included, and
 * knows the changes made after D. A change made after D can make the day shown later than D: the
 * November pack made on 7 December, with October amended on 7 December, has the pupil below 96 %
 * on 30 November, but the register as it stood on 30 November did not (as of D the rule's day is
 * judged on D, the view's latest day, as on any other day). Such a step is, as of D, neither
 * due nor late: nobody could have acted on it by D. It is listed, not left out — the pupil's
 * attendance in the view is below the line (the figures are the register as now known), and a
 * lead reading November's pack in December learns what is now due and since when — dated from
 * the day shown ("due from 7 Dec, when the register first showed it; the line was crossed on
 * 14 Oct"), and marked not yet due (ladder.ts DueStep.not_yet_due), after the steps due as of D.
 * (The old reading, each change made after D as if the register had always held it, called the
 * step late from October in November's pack.) Marks imported for the first time keep their own
 * days, so a register imported today of dates long past reads as kept on them (the demo school
 * amends nothing); a test that amends marks and then views an earlier date dates its amendments
 * as made back then (test/helpers/ladder.ts dateImportMade).
 *
 * Cheap: one cached read of the year's changes that move a figure (few: a school amends a few
 * dozen marks a week), and only for the pupils with a change made after one of their rules'
 * dates that could have delayed it (one that lowered attendance, or added an unauthorised
 * session: an N resolved to I only makes the rule more plainly met), their days from that date
 * with running totals (one grouped read; for one pupil's page, their own cached day rows).
 * Measured on 4,500 pupils (the demo school's calendar, `ladderFor` for the whole roll, cold, on
 * a shared 2-core machine): no amendments, the one small read 4–8 ms; 5,000 late
 * amendments (5 days of O for 500 pupils, 476 steps dated later) 0.5–0.7 s → 0.8–0.9 s, the day
 * read 70–160 ms of it. A view of a past date reads the changes made since too: with 4,980 such
 * changes made on 7 Dec (5 October days of O for 500 pupils; demo school, one year, warm
 * process, result cache off, 5 runs), the ladder as of 30 Nov took 152–186 ms when it ignored
 * them (465 pupils late) and 222–286 ms reading them (423 not yet due, 60 late), as the ladder as
 * of 7 Dec, 236–291 ms; without changes made after the date the read is the same as before.
 */
import type { Connection, Row } from "../db.ts";
import { cachedOne, cachedRows } from "../db.ts";
import { REGIME_2024_FROM, codeMaskParams, inCodeMask } from "../codes.ts";
import { onePupilDays } from "../one-pupil.ts";
import { belowLine } from "./below-line.ts";
import { SCHOOL_CALENDAR_CTES } from "../register-windows.ts";

/**
 * A change to a mark made after the day the mark is for: the mark's ISO `date`, the ISO day it
 * was `made`, and what it changed (new less original, in sessions): `possible`, `attended`
 * (present + AEA) and `unauthorised` (G, N, O, U).
 */
export interface LateChange {
  date: string;
  made: string;
  possible: number;
  attended: number;
  unauthorised: number;
}

/** What `registerShowedLater` returns: each rule's day shown, only where later than the rule's date. */
export interface ShownLater {
  /** Keyed as ladderFor's `crossed` (`upn|pct|inclusive`): the day the register first showed the line crossed. */
  lines: Map<string, string>;
  /** By UPN: the day the register first showed the penalty-notice threshold met. */
  penalty: Map<string, string>;
  /**
   * Keyed as `lines`, for the lines of `doneBefore`: the day the register first showed the pupil
   * below the line in a run begun after the step's recording (the step due again).
   */
  runs: Map<string, string>;
  /**
   * By UPN, for the pupils of `answeredBy`: the day the register first showed the threshold met
   * on or after the day of the stage that would otherwise answer it (the consideration due).
   */
  unanswered: Map<string, string>;
}

/** The key of a pupil's line in ladderFor's `crossed` and ShownLater's `lines`: `upn|pct|inclusive`. */
export const crossedKey = (upn: string, line: { pct: number; inclusive?: boolean }): string => `${upn}|${line.pct}|${Boolean(line.inclusive)}`;

/** The first week (ISO Monday) of the penalty-notice window of the latest `windowWeeks` school weeks to `asOf`, or null without school weeks. */
export async function penaltyWindowStart(connection: Connection, asOf: string, windowWeeks: number): Promise<string | null> {
  const row = await cachedOne<Row & { first_week: string | null }>(
    connection,
    `WITH ${SCHOOL_CALENDAR_CTES}
     SELECT strftime(min(week), '%Y-%m-%d') AS first_week FROM (SELECT week FROM school_weeks WHERE first_day <= $as_of::DATE ORDER BY week DESC LIMIT $window_weeks)`,
    { as_of: asOf, window_weeks: windowWeeks },
  );
  return row?.first_week ?? null;
}

/**
 * Every change of the whole school's marks dated `from` to `asOf` (ISO), made after the mark's
 * day (whenever: those made after `asOf` too, which a view of a past date knows of and its
 * lead did not), that moves possible, attended or unauthorised sessions (the codes' categories
 * under the regime of the mark's date), by UPN, in the order made. One cached read (amendments
 * are few), shared by every page that reads the ladder for the date.
 */
export async function lateChanges(connection: Connection, args: { from: string; asOf: string }): Promise<Map<string, LateChange[]>> {
  // What a change moved: each category's count with the new code less with the original, by
  // the code masks the store classifies marks with (store.ts), not a join to the catalogue.
  const moved = (name: string) =>
    `(${inCodeMask(name, "a.date", "a.new_code", "regime_from")})::INTEGER - (${inCodeMask(name, "a.date", "a.original_code", "regime_from")})::INTEGER`;
  const rows = await cachedRows<Row & LateChange & { upn: string }>(
    connection,
    `WITH c AS (
       SELECT a.upn, a.date, a.amended_at::DATE AS made,
              ${moved("counted")} AS possible, ${moved("attended")} AS attended, ${moved("unauthorised")} AS unauthorised
       FROM amendments a
       WHERE a.date BETWEEN $from::DATE AND $as_of::DATE AND a.amended_at::DATE > a.date)
     SELECT upn, strftime(date, '%Y-%m-%d') AS date, strftime(made, '%Y-%m-%d') AS made, possible, attended, unauthorised
     FROM c WHERE possible <> 0 OR attended <> 0 OR unauthorised <> 0
     ORDER BY upn, made, date`,
    {
      from: args.from,
      as_of: args.asOf,
      regime_from: REGIME_2024_FROM,
      ...codeMaskParams("counted", ["present", "aea", "authorised", "unauthorised"]),
      ...codeMaskParams("attended", ["present", "aea"]),
      ...codeMaskParams("unauthorised", ["unauthorised"]),
    },
  );
  const byUpn = new Map<string, LateChange[]>();
  for (const row of rows) {
    const list = byUpn.get(row.upn) ?? [];
    list.push({ date: row.date, made: row.made, possible: Number(row.possible), attended: Number(row.attended), unauthorised: Number(row.unauthorised) });
    byUpn.set(row.upn, list);
  }
  return byUpn;
}

/**
 * The first day the register showed a rule met: over `run` (the pupil's days from the rule's
 * date to the as-of date, in date order, each in force there), the earliest day t — a day of
 * the run, or a day a change of `changes` was made — on which the register as it stood then
 * had the rule met on its latest day by t, given `holds(day, undone)`: whether the rule is met
 * on `day` with the changes `undone` (made after t) taken back. The latest day, not any day
 * of the run: a ladder read on t reads the pupil's year to t, and a pupil the register then
 * had below a line in October but above it since had nothing due that day (a line is not
 * crossed for good: an amendment of 17 Nov putting 7 Oct below 96 % with the pupil back above
 * by 14 Nov showed nothing; one of 1 Dec amending 12–14 Nov did). Null for an empty run.
 */
export function firstShown<D extends { date: string }>(run: readonly D[], changes: readonly LateChange[], holds: (day: D, undone: readonly LateChange[]) => boolean): string | null {
  if (run.length === 0) return null;
  const times = [...new Set([...run.map((d) => d.date), ...changes.map((c) => c.made).filter((m) => m > run[0].date)])].sort();
  let latest = 0;
  for (const t of times) {
    while (latest + 1 < run.length && run[latest + 1].date <= t) latest++;
    const day = run[latest];
    if (holds(day, changes.filter((c) => c.date <= day.date && c.made > t))) return t;
  }
  // With every change applied the day is in the run: shown by the last (a day after the as-of date when one was made since).
  return times[times.length - 1];
}

/**
 * Whether undoing `c` could leave a rule unmet, so that a change made after the rule's date
 * can have kept the register from showing it: for a line, one that lowered attended sessions
 * or added possible ones; for the penalty threshold, one that added unauthorised sessions. A
 * pupil with none after a rule's date was shown it on that date (undoing the others only
 * lowers their attendance or raises their count), and their days are not read.
 */
const delays = {
  line: (c: LateChange) => c.attended < 0 || c.possible > 0,
  threshold: (c: LateChange) => c.unauthorised > 0,
  // A step done by a recording within the run (the formal meeting) is due again when a change
  // that raised attendance (an O corrected to /) split the run after it; without one the run as
  // the register stood began no earlier than now, after the recording, and `line` answers.
  run: (c: LateChange) => c.attended > 0 || c.possible < 0,
  // Likewise a threshold answered by a stage recorded after it is due again when a change that
  // lowered the count (an O corrected to I) moved its day after the stage; else `threshold` answers.
  unanswered: (c: LateChange) => c.unauthorised < 0,
};

/**
 * For ladderFor: the day the register first showed each pupil's line crossed (`crossed`, keyed
 * `upn|pct|inclusive`, its `lines` each judged from `minPossible` possible sessions of the year
 * from `yearFrom`) and penalty-notice threshold met (`reached` by UPN: `penalty.sessions` in the
 * window of `penalty.windowWeeks` school weeks), where that is later than the rule's date
 * (firstShown over lateChanges); nothing for the others. `doneBefore` (keyed as `crossed`): for
 * a line whose step is done by a recording on or after its run's first day (the formal
 * meeting), the latest such recording before the crossing; the step is shown due only when the
 * register showed the pupil below the line in a run begun after it (`runs`: a meeting held in
 * a run that a later amendment split was not due again until that amendment). `onePupil`: the
 * UPN of a pupil's page (their own cached day rows), else null. `answeredBy` (by UPN): the day
 * of a stage that answers the threshold when met before it (ladder.ts `answered`), for pupils
 * whose threshold is met on or after it; the consideration is shown due only when the register
 * showed it met on or after that day (`unanswered`). ISO dates throughout.
 */
export async function registerShowedLater(
  connection: Connection,
  args: {
    asOf: string;
    yearFrom: string;
    /** The earliest day the penalty window is read from (ladderFor's 400 days before `asOf`). */
    marksFrom: string;
    onePupil: string | null;
    lines: ReadonlyArray<{ pct: number; inclusive?: boolean }>;
    minPossible: number;
    crossed: ReadonlyMap<string, string>;
    reached: ReadonlyMap<string, string>;
    penalty: { sessions: number; windowWeeks: number };
    doneBefore?: ReadonlyMap<string, string>;
    answeredBy?: ReadonlyMap<string, string>;
  },
): Promise<ShownLater> {
  const shown: ShownLater = { lines: new Map(), penalty: new Map(), runs: new Map(), unanswered: new Map() };
  if (args.crossed.size === 0 && args.reached.size === 0) return shown;
  const { asOf, yearFrom, lines } = args;
  // The changes of the year and of a penalty window reaching back before it (from `marksFrom`);
  // the window's own start read only when there are any.
  const changes = await lateChanges(connection, { from: args.marksFrom < yearFrom ? args.marksFrom : yearFrom, asOf });
  if (changes.size === 0) return shown;
  // Each rule whose date a delaying change was made after, by pupil: only those can be shown later.
  type Rule = { key: string; date: string; kind: keyof typeof delays; line?: { pct: number; inclusive?: boolean }; doneOn?: string };
  const rules = new Map<string, Rule[]>();
  for (const [upn, own] of changes) {
    if (args.onePupil !== null && upn !== args.onePupil) continue;
    const all: Array<Omit<Rule, "date"> & { date: string | undefined }> = [
      ...lines.map((line) => ({ key: crossedKey(upn, line), date: args.crossed.get(crossedKey(upn, line)), kind: "line" as const, line })),
      { key: upn, date: args.reached.get(upn), kind: "threshold" as const },
      ...(args.answeredBy?.has(upn) ? [{ key: upn, date: args.reached.get(upn), kind: "unanswered" as const, doneOn: args.answeredBy.get(upn) }] : []),
      ...lines.flatMap((line) => {
        const doneOn = args.doneBefore?.get(crossedKey(upn, line));
        return doneOn === undefined ? [] : [{ key: crossedKey(upn, line), date: args.crossed.get(crossedKey(upn, line)), kind: "run" as const, line, doneOn }];
      }),
    ];
    const candidates = all.filter((r): r is Rule => r.date !== undefined && own.some((c) => c.made > (r.date as string) && delays[r.kind](c)));
    if (candidates.length > 0) rules.set(upn, candidates);
  }
  if (rules.size === 0) return shown;
  const windowFrom = [...rules.values()].some((list) => list.some((r) => r.kind === "threshold" || r.kind === "unanswered"))
    ? await penaltyWindowStart(connection, asOf, args.penalty.windowWeeks)
    : null;
  // Each pupil's days from their earliest such rule's date to the last such change: a day after
  // that is shown on its own day, later than any day before it is shown.
  const spans = [...rules].map(([upn, list]) => ({
    upn,
    // A run's rule reads from the year's start: where the run as it then stood began. A threshold
    // answered by a stage reads from the window's start when that is earlier: a stage recorded
    // before the year's first school day (a contract of 28 Aug) has its day before it in the
    // window's part of last year (July), which the count before the stage is read on.
    from: list.some((r) => r.kind === "unanswered")
      ? windowFrom !== null && windowFrom < yearFrom ? windowFrom : yearFrom
      : list.some((r) => r.kind === "run") ? yearFrom : list.reduce((d, r) => (r.date < d ? r.date : d), list[0].date),
    until: (changes.get(upn) ?? []).reduce((d, c) => (c.made > d ? c.made : d), ""),
  }));
  const days = await runningDays(connection, { spans, onePupil: args.onePupil, yearFrom, windowFrom, asOf });
  for (const [upn, list] of rules) {
    const own = changes.get(upn) ?? [];
    const pupilDays = days.get(upn) ?? [];
    for (const rule of list) {
      const run = pupilDays.filter((d) => d.date >= rule.date);
      const inYear = own.filter((c) => c.date >= yearFrom);
      // Below the line on `d` with the changes `undone` (made after the day read) taken back.
      const belowOn = (line: { pct: number; inclusive?: boolean }, d: RunningDay, undone: readonly LateChange[]) => {
        const possible = d.cpos - undone.reduce((n, c) => n + (c.date <= d.date ? c.possible : 0), 0);
        const attended = d.catt - undone.reduce((n, c) => n + (c.date <= d.date ? c.attended : 0), 0);
        return belowLine(attended, possible, line, args.minPossible);
      };
      if (rule.kind === "line" && rule.line) {
        const line = rule.line;
        const day = firstShown(run, inYear, (d, undone) => belowOn(line, d, undone));
        if (day !== null && day > rule.date) shown.lines.set(rule.key, day);
      } else if (rule.kind === "run" && rule.line && rule.doneOn !== undefined) {
        const [line, doneOn] = [rule.line, rule.doneOn];
        // Below on the day read, and not in a run the recording was made in: the run as the
        // register then stood began after it (ladder.ts: done when recorded on or after the run's first day).
        const day = firstShown(run, inYear, (d, undone) => {
          if (!belowOn(line, d, undone)) return false;
          const before = pupilDays.filter((p) => p.date <= d.date);
          const lastAbove = before.findLastIndex((p) => !belowOn(line, p, undone));
          const runFrom = before[lastAbove + 1]?.date ?? d.date;
          return runFrom > doneOn;
        });
        if (day !== null && day > rule.date) shown.runs.set(rule.key, day);
      } else if (rule.kind === "threshold" && windowFrom !== null) {
        const inWindow = own.filter((c) => c.date >= windowFrom);
        const day = firstShown(run, inWindow, (d, undone) => d.cunauth - undone.reduce((n, c) => n + c.unauthorised, 0) >= args.penalty.sessions);
        if (day !== null && day > rule.date) shown.penalty.set(upn, day);
      } else if (rule.kind === "unanswered" && windowFrom !== null && rule.doneOn !== undefined) {
        const [inWindow, stageOn] = [own.filter((c) => c.date >= windowFrom), rule.doneOn];
        const count = (d: RunningDay, undone: readonly LateChange[]) => d.cunauth - undone.reduce((n, c) => n + (c.date <= d.date ? c.unauthorised : 0), 0);
        // Met on the day read, and not before the stage: the count on the last day before it short of the threshold.
        const day = firstShown(run, inWindow, (d, undone) => {
          if (count(d, undone) < args.penalty.sessions) return false;
          const before = pupilDays.filter((p) => p.date >= windowFrom && p.date < stageOn).at(-1);
          return before === undefined || count(before, undone) < args.penalty.sessions;
        });
        if (day !== null && day > rule.date) shown.unanswered.set(upn, day);
      }
    }
  }
  return shown;
}

/** A pupil's day with their running totals: possible and attended sessions since `yearFrom`, unauthorised sessions since the penalty window's start. */
interface RunningDay {
  date: string;
  cpos: number;
  catt: number;
  cunauth: number;
}

/**
 * Each pupil's days of `spans` (from `from`, before `until`, ISO) with their running totals to
 * each (RunningDay, summed from `yearFrom` and from `windowFrom`, or 0 without a window), in date
 * order, by UPN: one grouped read, or the one pupil's own cached day rows.
 */
async function runningDays(
  connection: Connection,
  args: { spans: ReadonlyArray<{ upn: string; from: string; until: string }>; onePupil: string | null; yearFrom: string; windowFrom: string | null; asOf: string },
): Promise<Map<string, RunningDay[]>> {
  const byUpn = new Map<string, RunningDay[]>();
  const windowFrom = args.windowFrom ?? "9999-12-31";
  const first = windowFrom < args.yearFrom ? windowFrom : args.yearFrom;
  if (args.onePupil !== null) {
    const span = args.spans.find((s) => s.upn === args.onePupil);
    if (!span) return byUpn;
    const own = [...(await onePupilDays(connection, args.onePupil))]
      .filter((d) => d.date >= first && d.date <= args.asOf)
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    let [cpos, catt, cunauth] = [0, 0, 0];
    const running: RunningDay[] = [];
    for (const d of own) {
      if (d.date >= args.yearFrom) [cpos, catt] = [cpos + Number(d.possible), catt + Number(d.present) + Number(d.aea)];
      if (d.date >= windowFrom) cunauth += Number(d.unauthorised);
      if (d.date >= span.from && d.date < span.until) running.push({ date: d.date, cpos, catt, cunauth });
    }
    byUpn.set(args.onePupil, running);
    return byUpn;
  }
  const rows = await cachedRows<Row & RunningDay & { upn: string }>(
    connection,
    `WITH asked AS (SELECT unnest($upns::VARCHAR[]) AS upn, unnest($froms::DATE[]) AS from_day, unnest($untils::DATE[]) AS until_day),
     days AS (
       SELECT a.upn, a.from_day, a.until_day, d.date,
              sum(CASE WHEN d.date >= $year_from::DATE THEN d.possible ELSE 0 END) OVER w AS cpos,
              sum(CASE WHEN d.date >= $year_from::DATE THEN d.present + d.aea ELSE 0 END) OVER w AS catt,
              sum(CASE WHEN d.date >= $window_from::DATE THEN d.unauthorised ELSE 0 END) OVER w AS cunauth
       FROM mark_days d JOIN pupil_ids k USING (pupil_id) JOIN asked a ON a.upn = k.upn
       WHERE d.date BETWEEN $first::DATE AND $as_of::DATE
       WINDOW w AS (PARTITION BY d.pupil_id ORDER BY d.date ROWS UNBOUNDED PRECEDING))
     SELECT upn, strftime(date, '%Y-%m-%d') AS date, cpos::INTEGER AS cpos, catt::INTEGER AS catt, cunauth::INTEGER AS cunauth
     FROM days WHERE date >= from_day AND date < until_day
     ORDER BY upn, date`,
    // As list literals cast in SQL, as ladderFor binds its ids: binding three lists of 500
    // values each (listValue) cost 40–130 ms of the read; UPNs and ISO dates hold no comma or bracket.
    {
      upns: `[${args.spans.map((s) => s.upn).join(",")}]`,
      froms: `[${args.spans.map((s) => s.from).join(",")}]`,
      untils: `[${args.spans.map((s) => s.until).join(",")}]`,
      year_from: args.yearFrom,
      window_from: windowFrom,
      first,
      as_of: args.asOf,
    },
  );
  for (const row of rows) {
    const list = byUpn.get(row.upn) ?? [];
    list.push({ date: row.date, cpos: Number(row.cpos), catt: Number(row.catt), cunauth: Number(row.cunauth) });
    byUpn.set(row.upn, list);
  }
  return byUpn;
}
