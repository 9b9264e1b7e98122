/**
 * The compact marks store and the aggregates kept with it.
 *
 * Marks are the bulk of a register (≈ 380 per pupil per year), so they are stored as small
 * fixed-width values that DuckDB compresses well, and without any index:
 * - `pupil_ids`: the one place a UPN is mapped to an integer pupil id;
 * - `mark_store`: (pupil_id INTEGER, date DATE, pm BOOLEAN, code ENUM, minutes_late, import_id),
 *   written in (date, session, pupil) order so runs and zone maps compress and prune well
 *   (the aggregates in (day or week, counts, pupil) order: see "The order rows are written in").
 *   Uniqueness of (pupil, date, session) is checked set-based by the importer (DuckDB's own
 *   guidance: a PRIMARY KEY builds an ART index that was most of the file);
 * - `marks`: a read-only view with the register's columns (upn, date, session, code,
 *   minutes_late, import_id), so everything above the store keeps speaking UPN.
 *
 * Aggregates, recomputed in the importer's transaction for every pupil-week an import touches:
 * - `mark_days`: per pupil per date, counts by category (possible, present, AEA, authorised,
 *   unauthorised), marks, lateness and the absence-spell bookkeeping;
 * - `mark_weeks`: the same per pupil per school week (Monday), with first and last date;
 * - `mark_week_codes`: sessions per pupil per week per code, with the first and last date of
 *   the code that week (a view over WEEK_CODE_STORE, which keeps those as days after Monday).
 * Categories follow the code's meaning on the session's date (2006 or 2024 regulations); the
 * regimes change on Monday 19 August 2024, so no week mixes them.
 */
import type { Connection, SqlParams } from "./db.ts";
import { plainTransaction, queryOne } from "./db.ts";
import { ALL_CODES, CODE_CATALOGUE, REGIME_2024_FROM, codeMaskParams, inCodeMask } from "./codes.ts";
import { listValue } from "@duckdb/node-api";
import { replaceMeta } from "./key-values.ts";

/**
 * The table `mark_week_codes` is read from (a view over it, WEEK_CODES_VIEW): a row's first and
 * last date with its code are kept as days after its week's Monday (0–6, `first_day` and
 * `last_day`), not as dates. Measured on a trust school of 1,000 pupils × 3 years (1,144,976
 * marks; 272,302 rows), the same rows written fresh in WEEK_CODE_ORDER: 11 → 10 blocks of 32
 * KiB; built by the importer, 12 → 10, the file 81 → 79 blocks (2.33 → 2.27 bytes a mark); the
 * demo school's table 3 blocks either way. Readers filter on `week` (pushed through the view
 * to the table) or scan the few rows of one code. Schema 5; migrateWeekCodes brings a file
 * made before. The lake holds the view's columns (dates), as before.
 */
export const WEEK_CODE_STORE = "mark_week_code_store";

/** `mark_week_codes` with the register's columns (pupil_id, week, first_date, last_date, code, sessions): what every reader and the lake read. */
const WEEK_CODES_VIEW = `CREATE OR REPLACE VIEW mark_week_codes AS
     SELECT pupil_id, week, week + first_day AS first_date, week + last_day AS last_date, code, sessions
     FROM ${WEEK_CODE_STORE}`;

/**
 * The per-pupil counts' column types, in the tables' order: a day's (mark_days) and a week's
 * (mark_weeks). The smallest that hold them (a day has at most 2 sessions, a week 10, minutes
 * late a few hundred a day), used by the DDL and by the statements that compute the counts
 * (recomputeTouched casts each where it is computed, so the rows are sorted on 1–2-byte values).
 */
const DAY_COUNT_TYPES = {
  marks: "UTINYINT",
  possible: "UTINYINT",
  present: "UTINYINT",
  aea: "UTINYINT",
  authorised: "UTINYINT",
  unauthorised: "UTINYINT",
  late_l: "UTINYINT",
  late_u: "UTINYINT",
  minutes_late: "SMALLINT",
  spell_starts: "UTINYINT",
} as const;
const WEEK_COUNT_TYPES = {
  marks: "USMALLINT",
  possible: "USMALLINT",
  present: "USMALLINT",
  aea: "USMALLINT",
  authorised: "USMALLINT",
  unauthorised: "USMALLINT",
  late_l: "USMALLINT",
  late_u: "USMALLINT",
  minutes_late: "INTEGER",
  spell_starts: "USMALLINT",
} as const satisfies Record<keyof typeof DAY_COUNT_TYPES, string>;

/** The count columns' lines of a CREATE TABLE. */
function countColumns(types: Record<string, string>): string {
  return Object.entries(types)
    .map(([column, type]) => `     ${column} ${type} NOT NULL,`)
    .join("\n");
}

/** The store's tables (created with the schema; `ensureStore` creates them in older files). */
export const STORE_DDL: string[] = [
  `CREATE SEQUENCE IF NOT EXISTS pupil_id_seq START 1`,
  `CREATE TABLE IF NOT EXISTS pupil_ids (
     pupil_id INTEGER NOT NULL,
     upn VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS mark_store (
     pupil_id INTEGER NOT NULL,
     date DATE NOT NULL,
     pm BOOLEAN NOT NULL,
     code mark_code NOT NULL,
     minutes_late SMALLINT,
     import_id INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS mark_days (
     pupil_id INTEGER NOT NULL,
     date DATE NOT NULL,
${countColumns(DAY_COUNT_TYPES)}
     lead_continued BOOLEAN NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS mark_weeks (
     pupil_id INTEGER NOT NULL,
     week DATE NOT NULL,
     first_date DATE NOT NULL,
     last_date DATE NOT NULL,
${countColumns(WEEK_COUNT_TYPES)}
     lead_continued BOOLEAN NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ${WEEK_CODE_STORE} (
     pupil_id INTEGER NOT NULL,
     week DATE NOT NULL,
     first_day UTINYINT NOT NULL,
     last_day UTINYINT NOT NULL,
     code mark_code NOT NULL,
     sessions USMALLINT NOT NULL)`,
  WEEK_CODES_VIEW,
  `CREATE OR REPLACE VIEW marks AS
     SELECT k.upn, m.date, (CASE WHEN m.pm THEN 'PM' ELSE 'AM' END)::register_session AS session,
            m.code, m.minutes_late, m.import_id
     FROM mark_store m JOIN pupil_ids k USING (pupil_id)`,
];

/*
 * The order rows are written in. Only the physical order changes: no query may depend on it
 * (each one orders its results). DuckDB compresses each column on its own, in groups of
 * values (bit-packing stores a group in as many bits as its widest step from one value to the
 * next; RLE stores a run of one value once), so the order decides the size.
 *
 * Marks ("snake" order) go in by session (date, then AM/PM), so codes run in long runs (a
 * session is mostly "/" or a backslash) and the date columns are constant for thousands of
 * rows; the pupils in ascending and descending order by turns, so the pupil id steps by 0 or
 * ±1 between sessions (starting again at 1 with every session took 13 bits a value in every
 * group holding that step back). Measured on 4,500 pupils × 1 year: marks 2.54 → 1.59 MB.
 * Sorting a session's marks by code as well makes the codes nearly free but the pupil ids
 * dearer (0.69 → 0.80 bytes a mark): not done. Instead the present marks ("/" and backslash,
 * nine in ten) go first, session by session as above, and the others after them, session by
 * session and by code: the present marks' codes are one run a session and their pupil ids
 * still climb or fall by small steps, and the ids start again only among the others (0.65 →
 * 0.52 bytes a mark).
 *
 * Aggregates go in by day or week, then by their counts, the pupil id last: nine pupil-days
 * in ten are two sessions present and nothing else, a pupil-week's "/" and backslash rows are
 * five sessions from Monday to Friday, so within a day or week the counts form a few long runs
 * and cost next to nothing. The pupil ids are what cost: DuckDB bit-packs them in groups of
 * 2,048 values, and a group in which the ids start again (a new day, a new run of counts)
 * takes 13 bits a value where a group of climbing ids takes 1 or 2. So the ordinary rows (a
 * pupil who attended every possible session and nothing else: ORDINARY) go first, by day or
 * week, their pupils ascending one day and descending the next (the ids step by 0 or ±1 from
 * one day to the next); the other rows (one in ten) after them, in the same order, where the
 * ids start again at every run of counts. For the codes, the rows of a full week present (all
 * five "/" or all five backslash sessions: six rows in ten) go first, the other "/" and
 * backslash rows after them, the other codes last; within each, by week and code, a week's "/"
 * rows ending, and its backslash rows starting, with their longest runs, so the two meet.
 * Measured on 4,500 pupils × 1 year (1,717,806 marks, bytes per mark, the same rows rewritten
 * in each order): in pupil (snake) order → by day and counts → in this order: mark_days 0.69
 * → 0.59 → 0.31, mark_weeks 0.36 → 0.21 → 0.15, mark_week_codes 0.55 → 0.36 → 0.31 (by week
 * alone, before the full weeks went first: WEEK_CODE_ORDER); with the marks in the order
 * above, the database 2.58 → 2.07 bytes a mark.
 */
/**
 * ORDER BY terms for marks: present marks ("/", backslash) first, then the others; each by `date`, then session (`pm`, boolean), then code, pupils ascending in the morning and descending in the afternoon. Arguments: the SQL expressions for the date, the afternoon flag, the pupil id and the code (a mark_code value: text would sort in another order).
 * The codes are compared as the mark_code ENUM (its order: analytics/schema.ts), not as text: what matters to the file's size is that one session's marks of one code sit together, which either order gives, and sorting the ENUM's small integers instead of casting every code to text halved the import's sort of a year's marks (the demo school's 90,104 marks: 47 → 24 ms, median of 5).
 */
export const SESSION_ORDER = (date: string, pm: string, pupil: string, code: string) =>
  `${code} NOT IN ('/', '\\'), ${date}, ${pm}, ${code}, CASE WHEN ${pm} THEN -${pupil} ELSE ${pupil} END`;
/** A `mark_days` or `mark_weeks` row of a pupil who attended every possible session and had no other mark. */
const ORDINARY = `(marks = possible AND present = possible AND aea = 0 AND authorised = 0 AND unauthorised = 0 AND late_l = 0 AND late_u = 0 AND minutes_late = 0 AND spell_starts = 0 AND NOT lead_continued)`;
/** 1 or −1 by turns from one calendar day (or Monday-started week, for `unit` 7) to the next. */
const BY_TURNS = (column: string, unit: number) => `(CASE WHEN ((${column} - DATE '2000-01-03') // ${unit}) % 2 = 0 THEN 1 ELSE -1 END)`;
/** −1 for the backslash (afternoon present) rows of `mark_week_codes`, 1 for every other code. */
const CODE_TURN = `(CASE WHEN code = '\\' THEN -1 ELSE 1 END)`;
/** ORDER BY terms for `mark_days` rows: ordinary rows first, then by date, every count (in the table's column order), the pupil last, up and down by turns. */
export const DAY_ORDER = `NOT ${ORDINARY}, date, marks, possible, present, aea, authorised, unauthorised, late_l, late_u, minutes_late, spell_starts, lead_continued, ${BY_TURNS("date", 1)} * pupil_id`;
/** ORDER BY terms for `mark_weeks` rows: ordinary rows first, then by week, every count and the week's first and last date, the pupil last, up and down by turns. */
export const WEEK_ORDER = `NOT ${ORDINARY}, week, marks, possible, present, aea, authorised, unauthorised, late_l, late_u, minutes_late, spell_starts, lead_continued, first_date, last_date, ${BY_TURNS("week", 7)} * pupil_id`;
/** A `mark_week_codes` row of a pupil present at all five mornings ("/") or all five afternoons (backslash) of a week. */
const FULL_WEEK_PRESENT = `(code IN ('/', '\\') AND sessions = 5)`;
/**
 * ORDER BY terms for `mark_week_codes` rows: the full weeks present (FULL_WEEK_PRESENT) first, then the other "/" and backslash rows, then the other codes; each by week and code, then the sessions' count and dates and the pupil, backslash rows in reverse.
 * The full weeks are six rows in ten, and in week order alone every group of 2,048 pupil ids held some week's short rows, where the ids start again at each count and pair of dates, and took 10 or 11 bits a value; in a run of their own the full weeks' ids climb (and, backslash rows, fall) by small steps, 4 or 5 bits. Measured on a trust school of 1,000 pupils × 3 years (1,144,976 marks; 272,302 rows) built by the importer each way: the table 16 → 12 blocks of 32 KiB, the file 87 → 83 (2.50 → 2.39 bytes a mark); the demo school 37 → 36 blocks.
 */
export const WEEK_CODE_ORDER = `NOT ${FULL_WEEK_PRESENT}, code NOT IN ('/', '\\'), week, code, ${CODE_TURN} * sessions, ${CODE_TURN} * first_day, ${CODE_TURN} * last_day, ${CODE_TURN} * pupil_id`;

/** Each store table's row order, for a table written afresh (analytics/compact.ts). */
export const STORE_ROW_ORDER: Readonly<Record<string, string>> = {
  mark_store: SESSION_ORDER("date", "pm", "pupil_id", "code"),
  mark_days: DAY_ORDER,
  mark_weeks: WEEK_ORDER,
  [WEEK_CODE_STORE]: WEEK_CODE_ORDER,
};

/** The category of a mark: the code's meaning under the regulations in force on its date. */
export const CATEGORY_JOIN = (alias: string) => `JOIN code_catalogue cc
       ON cc.code = ${alias}.code
      AND cc.regime = CASE WHEN ${alias}.date >= DATE '${REGIME_2024_FROM}' THEN '2024' ELSE '2006' END`;

async function scalar(conn: Connection, sql: string): Promise<number> {
  const row = await queryOne<{ n: number }>(conn, sql);
  return Number(row?.n ?? 0);
}

/**
 * Gives every pupil without one an integer id, in order of admission date (then UPN), after
 * the ids already given. Ids never change, so marks keep pointing at the same pupil.
 *
 * Why admission order: the pupils on roll on any day then hold nearly one run of ids (those
 * admitted earliest are the first to leave, at the end of year 6; each new intake comes after
 * the ids already given), so the store's pupil ids step by little and bit-pack in few bits
 * (see "The order rows are written in"). In UPN order a school's leavers leave gaps all
 * through the ids. Measured on the same registers with the ids given each way: 4,500 pupils
 * × 3 years (with the pupils' keys dropped, as tried) 2.21 → 2.02 bytes per mark, × 1 year 2.32 → 2.26, a trust school of 1,000 pupils
 * × 3 years 3.16 → 3.02, the demo school alike.
 */
export async function ensurePupilIds(conn: Connection): Promise<void> {
  await conn.run(
    `INSERT INTO pupil_ids (pupil_id, upn)
     SELECT (SELECT coalesce(max(pupil_id), 0) FROM pupil_ids) + row_number() OVER (ORDER BY admission_date, upn), upn
     FROM (SELECT upn, admission_date FROM pupils ANTI JOIN pupil_ids USING (upn))`,
  );
}

/**
 * A day's counts as recomputeTouched's days statement carries them, in one BIGINT: field k
 * of DAY_FIELDS in bits 4k to 4k + 3 (dayField reads one). The first eight are mark_days'
 * counts of the same names; the last four say whether the morning's (afternoon's) mark is
 * counted and whether it is an absence (the spells' bookkeeping). A day holds at most one mark a
 * session (the importer refuses a second), so no field exceeds 2 and none carries into the next.
 */
const DAY_FIELDS = ["marks", "possible", "present", "aea", "authorised", "unauthorised", "late_l", "late_u", "am_counted", "am_absent", "pm_counted", "pm_absent"] as const;

/** SQL: the field `field` (DAY_FIELDS) of the packed counts `counts`. */
const dayField = (field: (typeof DAY_FIELDS)[number], counts: string) => `((${counts} >> ${4 * DAY_FIELDS.indexOf(field)}) & 15)`;

/**
 * What each mark adds to its day's packed counts (DAY_FIELDS), as a list the days statement
 * indexes by the mark's code (its place in the mark_code ENUM: `enum_code`), session and
 * regime: 1-based, a morning's under the 2006 regulations from 1, an afternoon's from
 * ALL_CODES.length + 1, then the same under 2024's. A mark counts where its code's category
 * on its date puts it (codes.ts CODE_CATALOGUE), as the masks of each category did; late_l and
 * late_u count the codes L and U. A code not in its date's regime adds nothing (the statement
 * leaves such marks out, as the join to code_catalogue did). Values are DOUBLEs: DuckDB sums
 * an integer column into a 128-bit integer, and these sums (under 2^48) are exact in a DOUBLE.
 */
function dayCounts(): number[] {
  const out: number[] = [];
  for (const regime of ["2006", "2024"] as const) {
    for (const pm of [false, true]) {
      for (const code of ALL_CODES) {
        const category = CODE_CATALOGUE.find((d) => d.code === code && d.regime === regime)?.category;
        if (category === undefined) {
          out.push(0);
          continue;
        }
        const counted = category !== "not_counted";
        const absent = category === "authorised" || category === "unauthorised";
        const fields: Partial<Record<(typeof DAY_FIELDS)[number], boolean>> = {
          marks: true,
          possible: counted,
          present: category === "present",
          aea: category === "aea",
          authorised: category === "authorised",
          unauthorised: category === "unauthorised",
          late_l: code === "L",
          late_u: code === "U",
          [pm ? "pm_counted" : "am_counted"]: counted,
          [pm ? "pm_absent" : "am_absent"]: absent,
        };
        out.push(DAY_FIELDS.reduce((sum, field, k) => sum + (fields[field] ? 2 ** (4 * k) : 0), 0));
      }
    }
  }
  return out;
}

/**
 * The statements that recompute the aggregates for the pupil-weeks listed in the temp table `agg_touched`
 * (pupil_id, from_week): every week of that pupil from `from_week` (a Monday) on, because an
 * absence spell may continue across weeks; run by refreshAggregates in the caller's transaction.
 *
 * Three reads of the touched marks at most: one GROUP BY pupil and day (with the category of
 * each mark) is written straight into `mark_days`, whose new rows (the touched pupils' from
 * their `from_week`: exactly those just deleted and written again) give `mark_weeks`; one GROUP
 * BY pupil, week and code gives `mark_week_codes`. Writing the days straight in, rather than
 * into a temp table that was then copied in and read for the weeks, saved one write of every
 * day row and one statement: the demo school's year (90,104 marks, 45,052 pupil-days), the days
 * and weeks in 85 ms of CPU against 89 (one DuckDB thread; 150 ms wall against 163 on a loaded
 * machine, medians of 9) — small, as the GROUP BY, the window's sort and the ORDER BY are
 * most of it.
 *
 * The absence spells are worked out per day, not per session: a day holds at most one counted AM and one counted PM session (the
 * importer refuses a second mark for a session), so a day's first and last counted sessions
 * are its AM and PM ones when counted, and the state carried from earlier days is the last
 * counted session's (lag … IGNORE NULLS over the days, a day without a counted session being
 * NULL). The window has no PARTITION BY: DuckDB's partitioned window (PARTITION BY pupil_id
 * ORDER BY date) cost more than one sort of the days by (pupil, date) whose lagged value names
 * its pupil — the days' statement 46.7–47.9 → 43.7–44.9 ms of CPU on the demo school's year,
 * 298 → 281 ms on 1,500 pupils' (571,806 marks; one thread, medians of 7–25, alternated; the
 * same rows in the same order, refreshing every pupil or half of them from mid-year).
 * Against the per-session version (a window over every session, then two joins and
 * two groupings, and a temp table of every session): on the demo school from 1 September
 * 2025 (115,374 marks), CPU median 169 ms against 227 ms, best of 7 alike (151 and 153 ms) —
 * fewer statements more than less work. The GROUP BY and the window's sort are most of what is left.
 * The day's counts go through the window as one packed BIGINT (DAY_FIELDS), each mark's share
 * looked up by its code, session and regime (dayCounts, bound as `$day_counts`), and are read
 * out after it: the window sorted a dozen count columns along with each day and the GROUP BY
 * kept eleven aggregates (nine counts of CASEs of masks, two bool_ors), where it now keeps two
 * sums. The days' statement 68.9 → 56.3 ms wall on the demo school's year (whole imports
 * alternated, medians of 13; the same rows in the same order).
 *
 * Which marks are known, counted or absent is the code's bit in its regime's mask (codes.ts
 * inCodeMask; the masks are CATEGORY_PARAMS, bound to the days' statement), not a join to
 * `code_catalogue`: the join hashed every mark's code and regime text, and the planner joined
 * the catalogue to every mark of the store before `prev` picked the few of the pupils' last
 * weeks. A mark whose code is not in its date's regime is left out, as the join left it.
 * The days' and the codes' statements read the marks, the weeks' the days, from `$touched_from`
 * on (the earliest from_week), as well as from each pupil's own: a constant bound is what lets
 * DuckDB skip the row groups of earlier years by their dates (zone maps), where the join's
 * per-pupil bound read every mark of the store. Measured on a year's import onto two earlier
 * years (1,000 pupils × 3 years, 2025/26; scripts/profile-import-phases.ts, medians of 3, two
 * runs alternated with the old code, load 19–25): the days' statement 592/629 → 477/510 ms of
 * CPU, the weeks' and codes' 173/185 → 141/158, the whole import 2,044/2,109 → 1,622/1,815; the
 * demo school's year (nothing earlier stored) alike, 532 → 510 (medians of three alternations).
 * Each count and sum is cast to its column's type where it is made, not by the INSERT after
 * the ORDER BY: count() gives BIGINT and sum() HUGEINT (16 bytes), so the rows were sorted
 * (DAY_ORDER, WEEK_ORDER: a dozen count columns each) on keys of 8 to 16 bytes a count where
 * the stored value is a byte or two. Same values, so the same order and the same rows; a
 * value the column cannot hold fails the same cast as before, only earlier.
 * The weeks' sums are of DOUBLEs: sum() of an integer column sums into a 128-bit integer, and
 * a week's counts (at most ten sessions; minutes late a few thousand) are whole numbers a DOUBLE
 * holds exactly, so the same values come out of the same casts; and the week's first counted
 * day's lead_continued is arg_min over the date of its counted days only (arg_min skips a NULL
 * date), not a FILTER, which DuckDB runs as a selection of the rows of its own. The weeks'
 * statement 14.0 → 11.4 ms of CPU on the demo school's year (one thread, medians of 21).
 * Returns three groups of statements: the deletes (one call), then each of the others in a
 * call of its own with its parameters (a call of several statements takes none).
 */
function recomputeTouched(scope: TouchedScope): [string[], string[], string[]] {
  const inCategory = (name: string) => inCodeMask(name, "m.date", "m.code", "regime_from");
  // The touched pupils' marks (days) from their own first touched week on: a join to agg_touched,
  // or, when everything from $touched_from on was just written ("after"), none.
  const touched = (alias: string, column: string) => (scope === "after" ? "" : `JOIN agg_touched t ON t.pupil_id = ${alias}.pupil_id AND ${alias}.${column} >= t.from_week`);
  const absent = inCategory("absent");
  const counted = inCategory("counted");
  return [[
    `DELETE FROM mark_days USING agg_touched t WHERE mark_days.pupil_id = t.pupil_id AND mark_days.date >= t.from_week`,
    `DELETE FROM mark_weeks USING agg_touched t WHERE mark_weeks.pupil_id = t.pupil_id AND mark_weeks.week >= t.from_week`,
    `DELETE FROM ${WEEK_CODE_STORE} USING agg_touched t WHERE ${WEEK_CODE_STORE}.pupil_id = t.pupil_id AND ${WEEK_CODE_STORE}.week >= t.from_week`,
  ], [
    `INSERT INTO mark_days
     SELECT * FROM (
     WITH last_week AS (
       -- Each pupil's last week before the recomputed weeks with a counted session (its
       -- aggregate, kept, says so): that pupil's last counted session before them is in it.
       -- Only that week's marks are read for prev, not every earlier mark of the pupil (a
       -- year's import onto two earlier years read and grouped some 1.3 million).
       SELECT w.pupil_id, max(w.week) AS week
       FROM mark_weeks w
       ${scope === "after" ? "WHERE w.week < $touched_from::DATE" : "JOIN agg_touched t ON t.pupil_id = w.pupil_id AND w.week < t.from_week\n       WHERE true"} AND w.possible > 0
       GROUP BY w.pupil_id),
     prev AS (
       -- Whether each pupil's last counted session before the recomputed weeks was an absence:
       -- a spell running into the first recomputed week is not a new spell.
       SELECT m.pupil_id, arg_max(${absent}, date_diff('day', DATE '2000-01-01', m.date) * 2 + m.pm::INTEGER) AS prev_absent
       FROM mark_store m
       JOIN last_week l ON l.pupil_id = m.pupil_id AND m.date >= l.week AND m.date < l.week + 7
       WHERE ${counted}
       GROUP BY m.pupil_id),
     days AS (
       -- The day's counts in one integer (DAY_FIELDS), as a sum of each mark's (dayCounts):
       -- carried through the window's sort as one column, not twelve, and read out after it.
       SELECT m.pupil_id, m.date,
              sum(($day_counts::DOUBLE[])[enum_code(m.code) + 1 + CASE WHEN m.pm THEN ${ALL_CODES.length} ELSE 0 END
                                          + CASE WHEN m.date >= $regime_from::DATE THEN ${2 * ALL_CODES.length} ELSE 0 END])::BIGINT AS counts,
              coalesce(sum(CASE WHEN m.code IN ('L', 'U') THEN m.minutes_late END), 0)::${DAY_COUNT_TYPES.minutes_late} AS minutes_late
       FROM mark_store m
       ${touched("m", "date")}
       WHERE ${inCategory("known")} AND m.date >= $touched_from::DATE
       GROUP BY m.pupil_id, m.date),
     lagged AS (
       -- Each day's last counted session before it (lag … IGNORE NULLS: a day without one is
       -- NULL), over the touched pupils' days in one order, pupil then date, with no PARTITION
       -- BY, so tagged with its pupil: 2 × pupil_id, + 1 for an absence. One taken from the
       -- pupil before is none of this pupil's, who then carries prev (carried).
       SELECT d.*, p.prev_absent,
              lag(CASE WHEN ${dayField("pm_counted", "d.counts")} > 0 THEN d.pupil_id::BIGINT * 2 + (${dayField("pm_absent", "d.counts")} > 0)::INTEGER
                       WHEN ${dayField("am_counted", "d.counts")} > 0 THEN d.pupil_id::BIGINT * 2 + (${dayField("am_absent", "d.counts")} > 0)::INTEGER END IGNORE NULLS)
                OVER (ORDER BY d.pupil_id, d.date) AS last_counted
       FROM days d LEFT JOIN prev p USING (pupil_id)),
     carried AS (
       SELECT l.pupil_id, l.date,
              ${DAY_FIELDS.slice(0, 8).map((f) => `${dayField(f, "l.counts")}::${DAY_COUNT_TYPES[f as keyof typeof DAY_COUNT_TYPES]} AS ${f}`).join(",\n              ")},
              l.minutes_late,
              -- NULL when the day has no counted morning (afternoon) session.
              CASE WHEN ${dayField("am_counted", "l.counts")} > 0 THEN ${dayField("am_absent", "l.counts")} > 0 END AS am_absent,
              CASE WHEN ${dayField("pm_counted", "l.counts")} > 0 THEN ${dayField("pm_absent", "l.counts")} > 0 END AS pm_absent,
              coalesce(CASE WHEN l.last_counted // 2 = l.pupil_id THEN l.last_counted % 2 = 1 END, l.prev_absent, false) AS before
       FROM lagged l)
     SELECT pupil_id, date, marks, possible, present, aea, authorised, unauthorised, late_l, late_u, minutes_late,
            (coalesce(am_absent AND NOT before, false)::INTEGER + coalesce(pm_absent AND NOT coalesce(am_absent, before), false)::INTEGER)::${DAY_COUNT_TYPES.spell_starts} AS spell_starts,
            coalesce(coalesce(am_absent, pm_absent) AND before, false) AS lead_continued
     FROM carried)
     ORDER BY ${DAY_ORDER}`,
  ], [
    `INSERT INTO mark_weeks
     SELECT * FROM (
       SELECT d.pupil_id, date_trunc('week', d.date)::DATE AS week, min(d.date) AS first_date, max(d.date) AS last_date,
              ${Object.entries(WEEK_COUNT_TYPES).map(([column, type]) => `sum(d.${column}::DOUBLE)::${type} AS ${column}`).join(", ")},
              coalesce(arg_min(d.lead_continued, CASE WHEN d.possible > 0 THEN d.date END), false) AS lead_continued
       FROM mark_days d
       ${touched("d", "date")}
       WHERE d.date >= $touched_from::DATE
       GROUP BY d.pupil_id, week)
     ORDER BY ${WEEK_ORDER}`,
    `INSERT INTO ${WEEK_CODE_STORE}
     SELECT * FROM (
       SELECT m.pupil_id, date_trunc('week', m.date)::DATE AS week,
              (min(m.date) - date_trunc('week', m.date)::DATE)::UTINYINT AS first_day, (max(m.date) - date_trunc('week', m.date)::DATE)::UTINYINT AS last_day,
              m.code, count(*)::USMALLINT AS sessions
       FROM mark_store m
       ${touched("m", "date")}
       WHERE m.date >= $touched_from::DATE
       GROUP BY m.pupil_id, week, m.code)
     ORDER BY ${WEEK_CODE_ORDER}`,
  ]];
}

/** The masks recomputeTouched's days statement classifies marks by (codes.ts codeMaskParams), the regimes' boundary, and each mark's share of its day's packed counts (dayCounts). */
const CATEGORY_PARAMS: SqlParams = {
  regime_from: REGIME_2024_FROM,
  ...codeMaskParams("known", ["present", "aea", "authorised", "unauthorised", "not_counted"]),
  ...codeMaskParams("counted", ["present", "aea", "authorised", "unauthorised"]),
  ...codeMaskParams("absent", ["authorised", "unauthorised"]),
  day_counts: listValue(dayCounts()),
};

/**
 * How recomputeTouched finds the touched marks: "touched", the pupil-weeks listed in the temp
 * table `agg_touched` (whose aggregates were deleted first); "after", every mark and day from
 * `$touched_from` on, when every one of them was just written and no aggregate is kept from
 * that week on (refreshAggregates says when).
 */
type TouchedScope = "touched" | "after";

/**
 * Brings the aggregates up to date after marks were written, for the pupils and dates in
 * `changedSql` (a query returning pupil_id and date of every inserted or changed mark).
 *
 * When the earliest changed mark's week comes after the last week the aggregates hold (their
 * week codes count every stored mark, so no mark stored before this change lies in or after
 * that week), every mark in the store from that week on is a changed one, of a touched pupil, and
 * no aggregate from that week on is kept: as a school's next weeks or next year are imported,
 * and the first import of all. The aggregates are then computed from the marks (and days) from
 * that week on, with no list of touched pupils to make, no aggregates to delete and no join to
 * it (recomputeTouched's "after"): the same rows, in the same order. Measured on the demo school's
 * year (90,104 marks; whole imports alternated with the old code, one DuckDB thread, medians of
 * 15, paired, at load 4–5): CPU −11 to −23 ms an import of ≈ 250 — the list of touched pupils (a
 * GROUP BY of every changed mark into a temp table, ≈ 7 ms wall), the three deletes and the
 * three joins saved. Otherwise (an amendment, a later import of weeks already held, retention, a UPN merged)
 * every touched pupil's aggregates are deleted from their first touched week and recomputed.
 */
export async function refreshAggregates(conn: Connection, changedSql: string): Promise<void> {
  // NULL when nothing changed: then there is nothing to recompute.
  const span = await queryOne<{ from: string | null; held_to: string | null }>(
    conn,
    `SELECT strftime(date_trunc('week', min(date)), '%Y-%m-%d') AS "from",
            (SELECT strftime(max(week), '%Y-%m-%d') FROM ${WEEK_CODE_STORE}) AS held_to
     FROM (${changedSql})`,
  );
  const from = span?.from ?? null;
  if (from === null) return;
  const heldTo = span?.held_to ?? null;
  if (heldTo === null || from > heldTo) {
    const [, days, rest] = recomputeTouched("after");
    for (const statement of [...days, ...rest]) await conn.run(statement, statement === days[0] ? { ...CATEGORY_PARAMS, touched_from: from } : { touched_from: from });
    return;
  }
  // Few calls: each call is a round trip, which on a loaded machine costs more than a small
  // statement (the demo school's year: eight calls of 0.5–9 ms wall became one). The reads of
  // the marks are bound to the earliest touched week (recomputeTouched), and a call of several
  // statements takes no parameters.
  const [deletes, days, rest] = recomputeTouched("touched");
  try {
    await conn.run(
      [
        `CREATE OR REPLACE TEMP TABLE agg_touched AS
        SELECT pupil_id, date_trunc('week', min(date))::DATE AS from_week FROM (${changedSql}) GROUP BY pupil_id`,
        ...deletes,
      ].join(";\n"),
    );
    for (const statement of [...days, ...rest]) await conn.run(statement, statement === days[0] ? { ...CATEGORY_PARAMS, touched_from: from } : { touched_from: from });
    await conn.run(`DROP TABLE temp.agg_touched`);
  } catch (error) {
    // The table may outlive a failed statement; its own drop may fail too (an aborted transaction): the first error is the one to report.
    await conn.run(`DROP TABLE IF EXISTS temp.agg_touched`).catch(() => {});
    throw error;
  }
}

/** Rebuilds every aggregate from the marks (migration, fixtures written straight to the store). */
export async function rebuildAggregates(conn: Connection): Promise<void> {
  await conn.run(`DELETE FROM mark_days`);
  await conn.run(`DELETE FROM mark_weeks`);
  await conn.run(`DELETE FROM ${WEEK_CODE_STORE}`);
  await refreshAggregates(conn, `SELECT pupil_id, date FROM mark_store`);
}

/**
 * Deletes marks from the store and brings the aggregates up to date (retention). `listSql`
 * is a query returning (pupil_id INTEGER, date DATE, pm BOOLEAN) for each mark to delete.
 * Every affected pupil's aggregates are recomputed from the week of their earliest deleted
 * mark on, so a week cut in two and an absence spell that now starts later are both right.
 * Runs inside the caller's transaction. Returns the number of marks deleted.
 */
export async function deleteMarks(conn: Connection, listSql: string, params: SqlParams = {}): Promise<number> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE marks_to_delete AS SELECT pupil_id, date, pm FROM (${listSql})`, params);
  try {
    const n = await scalar(conn, `SELECT count(*) AS n FROM marks_to_delete`);
    if (n === 0) return 0;
    await conn.run(
      `DELETE FROM mark_store USING marks_to_delete d
       WHERE mark_store.pupil_id = d.pupil_id AND mark_store.date = d.date AND mark_store.pm = d.pm`,
    );
    await refreshAggregates(conn, `SELECT pupil_id, date FROM marks_to_delete`);
    return n;
  } finally {
    await conn.run(`DROP TABLE IF EXISTS temp.marks_to_delete`);
  }
}

/**
 * Removes the pupil ids of pupils being deleted (`upnSql`: a query returning upn). Throws
 * when any of them still has a mark in the store or a row in the aggregates (their marks
 * must go first, through deleteMarks), so no mark is ever left pointing at no pupil.
 */
export async function forgetPupilIds(conn: Connection, upnSql: string, params: SqlParams = {}): Promise<void> {
  const ids = `SELECT pupil_id FROM pupil_ids WHERE upn IN (${upnSql})`;
  for (const table of ["mark_store", "mark_days", "mark_weeks", WEEK_CODE_STORE] as const) {
    const left = await queryOne<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM ${table} WHERE pupil_id IN (${ids})`, params);
    if (Number(left?.n ?? 0) > 0) throw new Error(`cannot forget pupils who still have rows in ${table}`);
  }
  await conn.run(`DELETE FROM pupil_ids WHERE upn IN (${upnSql})`, params);
}

export interface RawMark {
  upn: string;
  date: string;
  session: "AM" | "PM";
  code: string;
  minutesLate?: number | null;
  importId?: number;
}

/**
 * Writes marks straight into the store, without the importer's checks, and refreshes the
 * aggregates (test fixtures). The caller guarantees each (upn, date, session) is new and
 * the pupils exist. Throws on an unknown code (the ENUM refuses it).
 */
export async function writeMarksUnchecked(conn: Connection, marks: RawMark[]): Promise<void> {
  await ensurePupilIds(conn);
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE raw_marks (upn VARCHAR, date DATE, session VARCHAR, code VARCHAR, minutes_late SMALLINT, import_id INTEGER)`,
  );
  try {
    const appender = await conn.createAppender("raw_marks", "main", "temp");
    try {
      for (const m of marks) {
        appender.appendVarchar(m.upn);
        appender.appendVarchar(m.date);
        appender.appendVarchar(m.session);
        appender.appendVarchar(m.code);
        if (m.minutesLate === undefined || m.minutesLate === null) appender.appendNull();
        else appender.appendSmallInt(m.minutesLate);
        appender.appendInteger(m.importId ?? 0);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    const missing = await scalar(conn, `SELECT count(*) AS n FROM raw_marks ANTI JOIN pupil_ids USING (upn)`);
    if (missing > 0) throw new Error(`${missing} mark(s) for pupils not in the pupils table`);
    await conn.run(
      `INSERT INTO mark_store
       SELECT k.pupil_id, r.date, r.session = 'PM', r.code::mark_code, r.minutes_late, r.import_id
       FROM raw_marks r JOIN pupil_ids k USING (upn)
       ORDER BY ${SESSION_ORDER("r.date", "r.session = 'PM'", "k.pupil_id", "r.code::mark_code")}`,
    );
    await refreshAggregates(conn, `SELECT k.pupil_id, r.date FROM raw_marks r JOIN pupil_ids k USING (upn)`);
  } finally {
    await conn.run(`DROP TABLE IF EXISTS temp.raw_marks`);
  }
}

/** True when the file still has the first schema's `marks` table (UPN per mark, primary key). */
async function hasMarksTable(conn: Connection): Promise<boolean> {
  return (await scalar(conn, `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'marks' AND schema_name = 'main'`)) > 0;
}

/**
 * Brings an existing database file to the compact store: creates the store's tables, and
 * when the file still has the first schema's `marks` table, copies every mark across (in
 * one transaction, so a failure leaves the file as it was), replaces the table with the
 * view, builds the aggregates and checkpoints. Returns the number of marks migrated.
 */
export async function ensureStore(conn: Connection): Promise<number> {
  const legacy = await hasMarksTable(conn);
  const present = await scalar(conn, `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'mark_store' AND schema_name = 'main'`);
  if (!legacy && present > 0) return 0;
  // A file with no register at all (no mark_code type: not made by Rollcall's schema) has
  // nothing to migrate; each module then creates its own tables on first use.
  if (!legacy && (await scalar(conn, `SELECT count(*) AS n FROM duckdb_types() WHERE type_name = 'mark_code'`)) === 0) return 0;
  let migrated = 0;
  await plainTransaction(conn, async () => {
    for (const statement of STORE_DDL) {
      // The view replaces the old table, so it is created after the copy.
      if (legacy && statement.includes("VIEW marks")) continue;
      await conn.run(statement);
    }
    if (legacy) {
      migrated = await scalar(conn, `SELECT count(*) AS n FROM marks`);
      const orphans = await scalar(conn, `SELECT count(DISTINCT upn) AS n FROM marks ANTI JOIN pupils USING (upn)`);
      if (orphans > 0) {
        throw new Error(
          `cannot migrate this database to the compact store: ${orphans} pupil(s) have marks but no row in pupils; ` +
            `re-import the pupils file with the old version first, or rebuild the demo with \`rollcall demo\``,
        );
      }
      await ensurePupilIds(conn);
      await conn.run(
        `INSERT INTO mark_store
         SELECT k.pupil_id, m.date, m.session = 'PM', m.code, m.minutes_late, m.import_id
         FROM marks m JOIN pupil_ids k USING (upn)
         ORDER BY ${SESSION_ORDER("m.date", "m.session = 'PM'", "k.pupil_id", "m.code")}`,
      );
      await conn.run(`DROP TABLE marks`);
      await conn.run(STORE_DDL.find((s) => s.includes("VIEW marks"))!);
      await rebuildAggregates(conn);
    }
    await replaceMeta(conn, "schema_version", "2");
  });
  if (legacy) await conn.run("CHECKPOINT");
  return migrated;
}

/**
 * Brings a file made before schema 5 to it: when the file still has `mark_week_codes` as a
 * table (dates, not days after the Monday: WEEK_CODE_STORE), its rows are copied into the new
 * table in WEEK_CODE_ORDER, the old table dropped and the view made in its place, in one
 * transaction (a failure leaves the file as it was). True when it did (the caller checkpoints).
 */
export async function migrateWeekCodes(conn: Connection): Promise<boolean> {
  const old = await scalar(conn, `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'mark_week_codes' AND schema_name = 'main'`);
  if (old === 0) return false;
  await plainTransaction(conn, async () => {
    await conn.run(STORE_DDL.find((s) => s.includes(`CREATE TABLE IF NOT EXISTS ${WEEK_CODE_STORE} (`))!);
    await conn.run(
      `INSERT INTO ${WEEK_CODE_STORE}
       SELECT * FROM (
         SELECT pupil_id, week, (first_date - week)::UTINYINT AS first_day, (last_date - week)::UTINYINT AS last_day, code, sessions
         FROM mark_week_codes)
       ORDER BY ${WEEK_CODE_ORDER}`,
    );
    await conn.run(`DROP TABLE mark_week_codes`);
    await conn.run(WEEK_CODES_VIEW);
    await replaceMeta(conn, "schema_version", "5");
  });
  return true;
}

/** Writes the write-ahead log into the file and releases the blocks freed by deletes. */
export async function checkpoint(conn: Connection): Promise<void> {
  await conn.run("CHECKPOINT");
}
