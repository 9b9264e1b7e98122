/**
 * The marks import with DuckDB reading the file: for a plain long CSV (readers/plain-csv.ts),
 * DuckDB's own `read_csv` reads the rows straight into a staging table of typed values, every
 * check the reader's path makes (importMarks in marks.ts, checks-marks.ts, values.ts) runs as
 * SQL over it, and the merge is the same as that path's (mergeKeyed). No row passes through
 * JavaScript: reading and checking the demo school’s year (90,104 marks) takes ≈ 75 ms of CPU
 * (the staging pass and the checks' pass) where parsing, checking and appending each row in
 * JavaScript took ≈ 250 ms.
 *
 * The SQL checks answer only "is anything wrong?"; they name nothing. A file with any fault
 * (or anything the SQL does not read exactly as the reader does: a value with spaces around
 * it, a one-digit day, a row DuckDB's reader rejects) goes back to the reader's path, which
 * reports every fault by file, line and column exactly as before — so a refusal's message
 * never depends on which path read the file. To make that safe the SQL accepts a subset of
 * what the reader accepts, value by value:
 * - UPN: equal to the UPN of a pupil on the roll that is itself well formed (upn-shape.ts UPN_RE);
 * - date: YYYY-MM-DD or DD/MM/YYYY with two-digit day and month, a real date, year 1900–2199;
 * - session: AM or PM in any case; code: ASCII, any case, valid on the session's date under
 *   the regulations then in force (code_catalogue), COVID-era sub-codes mapped to their census
 *   code in their window; "-" or an empty cell: no mark yet (skipped and counted);
 * - minutes late: empty, or a whole number 0–32,767 written without sign or leading zeros;
 * - across rows: one mark per pupil per session, on roll (or Z), on a weekday, on a school day
 *   where the calendar covers the year, not after today; `#` on a closure day is skipped.
 * read_csv runs with `store_rejects`, so a row it cannot read (a field too few or too many) is
 * recorded instead of raising: an error inside the import's transaction would abort it, and
 * with it the calendar and pupils of the same import.
 */
import { currentDate } from "../periods.ts";
import { listValue } from "@duckdb/node-api";
import { CODE_CATALOGUE, COVID_SUBCODES, COVID_SUBCODES_FROM, COVID_SUBCODES_TO, REGIME_2024_FROM } from "../codes.ts";
import { queryOne, queryRows, type Connection } from "../db.ts";
import { ensurePupilIds } from "../store.ts";
import { closedDaySql, closureOnOpenSessionSql } from "./checks-marks.ts";
import { keepStoredMinutes, keptDatesSql, mergeKeyed, noteLines, type MarkNotes } from "./marks.ts";
import type { PlainMarksCsv } from "./readers/plain-csv.ts";
import type { Actor, ImportSummary } from "./values.ts";
import { UPN_RE } from "../upn-shape.ts";

const STAGE = "import_marks_sql";
/** The staged rows that are marks to write: not "no mark yet", not "#" on a closure day. */
const KEPT = "NOT no_mark AND NOT closure_mark";
const REJECTS = "import_marks_rejects";
/** The pupils the staged rows are joined to (stage). */
const KNOWN = "import_marks_known";
const REJECT_SCANS = "import_marks_reject_scans";

/** What importMarksSql did: the summary, or why the file goes to the reader's path instead. */
export type SqlImportOutcome = { summary: ImportSummary; why?: undefined } | { summary?: undefined; why: string };

/**
 * Imports a plain long marks file with DuckDB reading it, in the caller's transaction.
 * Returns the summary as importMarks would give it, or — having written nothing the reader's
 * path would not write itself (pupil ids) — why the file must be read by that path.
 */
export async function importMarksSql(
  conn: Connection,
  csv: PlainMarksCsv,
  input: { by: Actor; reason?: string; today?: string },
): Promise<SqlImportOutcome> {
  const today = input.today ?? currentDate();
  let failed = false;
  try {
    await ensurePupilIds(conn);
    await stage(conn, csv);
    const found = await queryOne<{
      rejected: number; rows: number; refused: number; no_mark: number; closure_marks: number; off_days: number; duplicates: number; subcodes: number; hashes: number;
      inserted: number; amended: number; unchanged: number; first_date: string | null; last_date: string | null;
    }>(
      conn,
      `SELECT (SELECT count(*) FROM ${REJECTS})::INTEGER AS rejected,
              count(*)::INTEGER AS rows,
              -- Each count a CASE, not count(*) FILTER (WHERE …), which DuckDB runs as a selection
              -- of the rows per count (store.ts recomputeTouched's days say the same): the
              -- statement 12.3 → 11.2 ms of CPU on the demo school's year (one thread, medians of 15).
              count(CASE WHEN refused THEN 1 END)::INTEGER AS refused,
              count(CASE WHEN no_mark THEN 1 END)::INTEGER AS no_mark,
              count(CASE WHEN NOT no_mark AND closure_mark THEN 1 END)::INTEGER AS closure_marks,
              -- checks-marks.ts: weekends, days outside the calendar of a year it covers, the future.
              -- Counted by date, not by mark (only "any?" is asked): the calendar's two lookups
              -- are made for each of the file's few hundred dates, not for each of its marks.
              -- (IN needs no DISTINCT: without it the planner made a hash table of the years for
              -- nothing, some 10–17 ms of CPU of a first statement of the kind on a fresh instance.)
              -- A date's academic year (August to July) as the 1 January of the year it starts in:
              -- date_trunc of the date seven months earlier, not month() and year(), each of which
              -- fills a cache of years on its first use in a statement (this statement 13.5 → 11.7 ms
              -- of CPU on the demo school's year, one thread, medians of 21).
              (SELECT count(*) FROM (SELECT date FROM ${STAGE} WHERE ${KEPT} GROUP BY date)
               WHERE isodow(date) > 5 OR date > $today::DATE
                  OR (date_trunc('year', date - INTERVAL 7 MONTH) IN (SELECT date_trunc('year', start_date - INTERVAL 7 MONTH) FROM calendar_periods)
                      AND date NOT IN (SELECT date FROM school_days)))::INTEGER AS off_days,
              (SELECT count(*) FROM (SELECT 1 FROM ${STAGE} WHERE NOT no_mark AND NOT closure_mark GROUP BY pupil_id, date, pm HAVING count(*) > 1))::INTEGER AS duplicates,
              count(CASE WHEN NOT no_mark THEN subcode END)::INTEGER AS subcodes,
              count(CASE WHEN ${KEPT} AND code = '#' THEN 1 END)::INTEGER AS hashes,
              -- mergeKeyed's counts, in the same pass.
              count(CASE WHEN ${KEPT} AND NOT stored THEN 1 END)::INTEGER AS inserted,
              count(CASE WHEN ${KEPT} AND stored AND (stored_code <> code OR stored_minutes_late IS DISTINCT FROM minutes_late) THEN 1 END)::INTEGER AS amended,
              count(CASE WHEN ${KEPT} AND stored AND stored_code = code AND stored_minutes_late IS NOT DISTINCT FROM minutes_late THEN 1 END)::INTEGER AS unchanged,
              -- The first and last date of the marks kept, for the import's record (mergeKeyed).
              ${keptDatesSql(KEPT)}
       FROM ${STAGE}`,
      { today },
    );
    if (!found) throw new Error("internal: the staged marks could not be counted");
    if (found.rejected > 0) return { why: "DuckDB's reader rejected a row (a field too many or too few)" };
    if (found.refused + found.off_days + found.duplicates > 0) return { why: "the file has faults" };
    // checks-marks.ts: "#" on a session the school was open to the pupil's year group (the one
    // rule every path applies); its joins run only for a file holding a "#" not on a closure day.
    if (found.hashes > 0) {
      const closures = await queryOne<{ n: number }>(
        conn,
        `SELECT count(*)::INTEGER AS n FROM (${closureOnOpenSessionSql(
          `SELECT s.line, k.upn, s.date, s.pm, s.code::VARCHAR AS code, 0 AS code_column FROM ${STAGE} s JOIN pupil_ids k USING (pupil_id) WHERE ${KEPT}`,
        )})`,
      );
      if ((closures?.n ?? 0) > 0) return { why: "the file has faults" };
    }

    const notes: MarkNotes = { noMarkYet: found.no_mark, covidSubcodes: {}, closureMarks: found.closure_marks };
    if (found.subcodes > 0) {
      for (const r of await queryRows<{ subcode: string; n: number }>(
        conn,
        `SELECT subcode, count(*)::INTEGER AS n FROM ${STAGE} WHERE subcode IS NOT NULL AND NOT no_mark GROUP BY subcode`,
      )) {
        notes.covidSubcodes[r.subcode] = r.n;
      }
    }
    const summary = await mergeKeyed(conn, `(SELECT * FROM ${STAGE} WHERE ${KEPT})`, { file: csv.file, digest: csv.digest, by: input.by, reason: input.reason }, found.rows, found);
    const lines = noteLines(notes);
    const skipped = notes.noMarkYet + notes.closureMarks;
    return { summary: { ...summary, ...(skipped > 0 ? { skipped } : {}), ...(lines.length > 0 ? { notes: lines } : {}) } };
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    try {
      await conn.run([STAGE, KNOWN, REJECTS, REJECT_SCANS].map((table) => `DROP TABLE IF EXISTS temp.${table}`).join("; "));
    } catch (dropError) {
      // After a failed statement DuckDB refuses everything in the transaction ("Current
      // transaction is aborted"): the error thrown is the one that failed, not this (trial 35).
      if (!failed) throw dropError;
    }
  }
}

/**
 * Reads the file into the staging table, one row per data row:
 * (line BIGINT: the row's place in the file, 1 for the first data row;
 *  pupil_id INTEGER, date DATE, pm BOOLEAN, code mark_code, minutes_late SMALLINT: the mark,
 *    as the reader's path would store it;
 *  no_mark BOOLEAN: "-" or an empty code cell; closure_mark BOOLEAN: "#" on a closure day;
 *  subcode VARCHAR: the COVID-era sub-code read as its census code, else NULL;
 *  refused BOOLEAN: the row breaks a check of its own, or is empty;
 *  stored_code, stored_minutes_late, stored: what the store holds for the session, as mergeKeyed
 *    takes them (storedSessions)).
 * closure_mark and the stored columns are filled in by closureMarks and storedSessions.
 */
async function stage(conn: Connection, csv: PlainMarksCsv): Promise<void> {
  await conn.run([REJECTS, REJECT_SCANS].map((table) => `DROP TABLE IF EXISTS temp.${table}`).join("; "));
  // read_csv's `columns` is a struct literal: its names c0…cN are made here, never read from
  // the file (the header was mapped by mapHeader). Everything else is a bound parameter, the
  // file's path included.
  const names = Array.from({ length: csv.width }, (_, i) => `c${i}`);
  const columns = `{${names.map((n) => `'${n}': 'VARCHAR'`).join(", ")}}`;
  const column = (name: string) => {
    const at = csv.index.get(name);
    return at === undefined ? "NULL::VARCHAR" : `r.c${at}`;
  };
  const subs = Object.keys(COVID_SUBCODES);
  // The pupils on the roll whose UPNs are well formed, each with its id, admission and leaving
  // date: a temp table made here, inside the import's transaction, for the join below to build
  // its hash table on. DuckDB's planner reckons read_csv at 42 rows (it cannot know a file's
  // length unread) and puts the side it reckons smaller on the build side: against the pupils'
  // own tables it built on the file — every row copied into a hash table, probed by a few
  // thousand pupils — while a temp table made inside the transaction is reckoned at none until
  // it commits, so it is built on. Measured on 4,500 pupils × 1 year (1,718,570 marks) on a
  // loaded machine: the staging statement 2.0 → 1.0 s of CPU, 5.0 → 2.1 s wall; the demo
  // school's year (90,104 marks) alike either way (80–190 ms of CPU). Were the planner one day
  // to know the table's length, it would build on the file again, as before: slower, never wrong.
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${KNOWN} AS
     SELECT k.upn, k.pupil_id, p.admission_date, p.leaving_date
     FROM pupil_ids k JOIN pupils p USING (upn)
     WHERE regexp_full_match(k.upn, $upnPattern)`,
    // regexp_full_match anchors the pattern itself.
    { upnPattern: UPN_RE.source.replace(/^\^|\$$/g, "") },
  );
  // The row number is taken over read_csv alone (a streaming window, which keeps the file's
  // order), before any join can reorder the rows.
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${STAGE} AS
     WITH raw AS (
       SELECT row_number() OVER () AS line, *
       FROM read_csv($path, header = true, auto_detect = false, delim = $delim, quote = '"', escape = '"',
                     strict_mode = true, null_padding = false, columns = ${columns},
                     store_rejects = true, rejects_table = '${REJECTS}', rejects_scan = '${REJECT_SCANS}')),
     parsed AS (
       SELECT r.line, ${column("upn")} AS upn_text, ${column("date")} AS date_text, ${column("session")} AS session_text,
              ${column("code")} AS code_text, ${column("minutes_late")} AS minutes_text,
              ${names.map((n) => `r.${n} IS NULL`).join(" AND ")} AS empty_row
       FROM raw r),
     dated AS (
       SELECT p.*,
              CASE WHEN p.date_text LIKE '__/__/____' THEN try_strptime(p.date_text, '%d/%m/%Y')::DATE ELSE try_cast(p.date_text AS DATE) END AS date
       FROM parsed p),
     typed AS (
       SELECT d.*,
              upper(d.session_text) = 'PM' AS pm,
              -- Written exactly as the date reads back (a DATE cast to text is YYYY-MM-DD).
              -- Years 1900–2199 as a range of dates, not year(), which fills a cache of years first.
              coalesce(CASE WHEN d.date_text LIKE '__/__/____' THEN strftime(d.date, '%d/%m/%Y') = d.date_text ELSE d.date::VARCHAR = d.date_text END
                       AND d.date BETWEEN DATE '1900-01-01' AND DATE '2199-12-31', false) AS date_ok,
              -- AM or PM in any case: two bytes (so two ASCII letters) upper-cased (an IN list of the
              -- eight spellings was planned as a join).
              coalesce(strlen(d.session_text) = 2 AND upper(d.session_text) IN ('AM', 'PM'), false) AS session_ok,
              -- ASCII only: upper() of DuckDB and of JavaScript agree there.
              CASE WHEN strlen(d.code_text) = length(d.code_text) THEN upper(d.code_text) END AS code_upper,
              d.code_text IS NULL OR d.code_text = '-' AS no_mark,
              try_cast(d.minutes_text AS SMALLINT) AS minutes_late
       FROM dated d),
     mapped AS (
       SELECT t.*,
              CASE WHEN t.date BETWEEN $covidFrom::DATE AND $covidTo::DATE AND list_contains($subs::VARCHAR[], t.code_upper)
                   THEN ($subCodes::VARCHAR[])[list_position($subs::VARCHAR[], t.code_upper)] ELSE t.code_upper END AS code_mapped
       FROM typed t)
     SELECT m.line, k.pupil_id, m.date, m.pm,
            -- Either stroke means present; one spelling per session, as the reader's path stores it.
            try_cast(CASE WHEN m.code_mapped IN ('/', '\\') THEN CASE WHEN m.pm THEN '\\' ELSE '/' END ELSE m.code_mapped END AS mark_code) AS code,
            m.minutes_late, m.no_mark,
            -- "#" on a closure day: filled in below (closureMarks).
            false AS closure_mark,
            CASE WHEN m.code_mapped <> m.code_upper THEN m.code_upper END AS subcode,
            m.empty_row OR (NOT m.no_mark AND (
              k.pupil_id IS NULL OR NOT m.date_ok OR NOT m.session_ok
              OR NOT coalesce(CASE WHEN m.date >= $regime2024::DATE THEN list_contains($codes2024::VARCHAR[], m.code_mapped)
                                   ELSE list_contains($codes2006::VARCHAR[], m.code_mapped) END, false)
              -- The two checks below as CASEs, not ORs of ANDs: in a projection DuckDB evaluates every
              -- operand of an AND or OR for every row, a CASE its branch only for the rows that reach
              -- it — the minutes written back as text for the few rows with minutes, the code
              -- compared with Z for the few off the roll (the staging statement 50 → 46 ms of CPU on
              -- the demo school's year, one thread, medians of 15; same values).
              OR CASE WHEN m.minutes_text IS NULL THEN false ELSE NOT coalesce(m.minutes_late >= 0 AND m.minutes_late::VARCHAR = m.minutes_text, false) END
              OR CASE WHEN m.date < k.admission_date OR m.date > k.leaving_date THEN coalesce(m.code_mapped <> 'Z', false) ELSE false END)) AS refused,
            -- What the store holds for the session: filled in below (storedSessions).
            NULL::mark_code AS stored_code, NULL::SMALLINT AS stored_minutes_late, false AS stored
     FROM mapped m
     LEFT JOIN ${KNOWN} k ON k.upn = m.upn_text`,
    {
      path: csv.path,
      delim: csv.delimiter,
      covidFrom: COVID_SUBCODES_FROM,
      covidTo: COVID_SUBCODES_TO,
      subs: listValue(subs),
      subCodes: listValue(subs.map((s) => COVID_SUBCODES[s].code)),
      regime2024: REGIME_2024_FROM,
      // The codes valid under each regulations, as the reader checks them (codes.ts lookupCode).
      codes2006: listValue(CODE_CATALOGUE.filter((d) => d.regime === "2006").map((d) => d.code)),
      codes2024: listValue(CODE_CATALOGUE.filter((d) => d.regime === "2024").map((d) => d.code)),
    },
  );
  // One call (a call is a round trip; of several statements, it answers with the last one's
  // rows): the stored sessions, and whether the file holds a "#" at all, for most hold none and
  // closureMarks' calendar lookups cost a statement's planning and set-up however few the rows.
  const hashes = await queryOne<{ n: number }>(conn, `${storedSessions()};\nSELECT count(*)::INTEGER AS n FROM ${STAGE} WHERE code = '#'`);
  if ((hashes?.n ?? 0) > 0) await conn.run(closureMarks());
  if (csv.index.get("minutes_late") === undefined) await keepStoredMinutes(conn, STAGE);
}

/**
 * The statement that marks the staged "#" rows on a day the calendar has the school closed (checks-marks.ts
 * closedDaySql) as closure marks, which are skipped.
 *
 * Why not in the staging statement, where it was a column like the others: the calendar's
 * three lookups (closures, the academic years it covers, its school days) are subqueries, which
 * DuckDB plans as joins that every staged row passes through, whatever CASE or AND the lookup
 * sits in, and the academic year of each row's date is worked out on the way (date arithmetic in
 * months) — for the few "#" marks a file may hold. Here the scan's filter on the code keeps only
 * those, and it runs only for a file that holds a "#". Measured on the demo school's year
 * (90,104 marks, no "#"; whole imports, one DuckDB thread, medians of 15, alternated): the
 * staging statement 76.6 → 61.0 ms wall, this one 3.5 ms (when it ran for every file; skipped,
 * the import's CPU −1 to −3 ms, paired medians of 21); the import's CPU 244.5 → 218.2 ms. The
 * same rows flagged.
 */
function closureMarks(): string {
  return `UPDATE ${STAGE} SET closure_mark = true WHERE code = '#' AND ${closedDaySql("date")}`;
}

/**
 * The statement that fills in the staged rows' stored_code, stored_minutes_late and stored from the sessions the
 * store already holds (mergeKeyed's amendments and unchanged marks).
 *
 * Why not a LEFT JOIN in the staging statement: DuckDB's planner reckons read_csv at a few
 * dozen rows (it cannot know a file's length unread), so it built that join's hash table on the
 * file's side — every staged row copied into it — even with the store empty, as on a first
 * import of a year. Here both sides are tables whose lengths it knows, so it builds on the
 * smaller, and a store with no mark in the file's sessions costs next to nothing. Measured
 * with one DuckDB thread, the staging statement alone: the demo school's year (90,104 marks)
 * 75 → 56 ms of CPU (medians of 12), 4,500 pupils × 1 year (1,717,806 marks) 1,638 → 1,318 ms.
 */
function storedSessions(): string {
  return `UPDATE ${STAGE} SET stored_code = s.code, stored_minutes_late = s.minutes_late, stored = true
     FROM mark_store s
     WHERE s.pupil_id = ${STAGE}.pupil_id AND s.date = ${STAGE}.date AND s.pm = ${STAGE}.pm`;
}
