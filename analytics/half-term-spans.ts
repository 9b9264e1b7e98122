/**
 * Several spans that end on the same day, read under half-term membership in one statement:
 * a governors' pack's term and its year to date (analytics/packs/fgb.ts, sections.ts), each
 * printed by week, by day of the week and by code. Under half-term membership a pupil's
 * sessions in each half term count in the group they were in at that half term's end (the
 * span's end for its last), so a span's sessions are exactly the sum of its half terms' (issue
 * 13; analytics/measures.ts MeasureQuery.membership): the year to date is read once, summed by
 * half term and group, and each span is the sum of the half terms it covers. At 4,500 pupils
 * the FGB pack read each pair in two statements, the year to date's and the term's, which
 * scanned the term's weeks twice (issue 11).
 *
 * The sums are the spans' own reads' only where every span's half terms are the longest
 * span's: each span starts where the longest does, or on the first school day of one of its
 * half terms after the first (the longest span's first half term runs from its start, before
 * that half term's first school day: a span starting there would leave out what the longest
 * counts before it). Any other spans, a span of another end, filter or population, a slice or
 * AM/PM, one pupil's figures, or membership at the period's end (the staff's pack) are read one
 * by one by summariseSessionsBy and sessionsByCode, whose figures these are in every case
 * (test/half-term-spans.test.ts).
 */
import { cachedRows, type Connection, type Row, type SqlParams } from "./db.ts";
import {
  assertPeriod,
  codeUnitsSql,
  scopedMarksSql,
  sessionGroupOrderSql,
  sessionsByCode,
  sessionsOf,
  SESSION_TOTALS,
  summariseSessionsBy,
  UNIT_PER_PUPIL_COUNTS,
  unitsSql,
  withRates,
  type CodeSessions,
  type Counts,
  type MeasureQuery,
  type SessionDimension,
  type SessionGroupMeasures,
} from "./measures.ts";

/**
 * summariseSessionsBy(connection, query, by) for each of `queries`, in their order: each
 * span's groups of `by` (in the breakdown's order) with their sessions and rates (percent
 * 0–100, null without possible sessions). One statement where the spans share their half terms
 * (see the module's comment), else one read per span. Throws as summariseSessionsBy.
 */
export async function summariseSessionsByEach(connection: Connection, queries: readonly MeasureQuery[], by: SessionDimension): Promise<SessionGroupMeasures[][]> {
  const read = by === "session" ? null : await sharedHalfTerms(connection, queries);
  if (!read) return oneByOne(queries, (query) => summariseSessionsBy(connection, query, by));
  const rows = await cachedRows<Counts & Row & { span: number; grp: string }>(
    connection,
    `WITH ${read.sql}, ${unitsSql(by, true)},
     per_half AS (
       SELECT u.member, u.grp, min(u.date) AS first_date, min(isodow(u.date)) AS first_dow, ${UNIT_PER_PUPIL_COUNTS}
       FROM u GROUP BY u.member, u.grp),
     ${SPAN_STARTS(queries.length)},
     per_group AS (SELECT s.span, p.* FROM per_half p JOIN halves h USING (member) JOIN span_starts s ON h.r_from >= s.s_from)
     SELECT span, grp, 0 AS pupils, ${SESSION_TOTALS}, 0 AS pa_pupils, 0 AS sa_pupils
     FROM per_group
     GROUP BY span, grp
     ORDER BY span, ${sessionGroupOrderSql(by)}`,
    read.params,
  );
  return queries.map((_, i) => rows.filter((row) => row.span === i).map((row) => sessionsOf({ group: String(row.grp), ...withRates(row) })));
}

/**
 * sessionsByCode(connection, query) for each of `queries`, in their order: each span's
 * sessions by code, most used first, with the code's category and meaning under the latest
 * regulations its marks in the span fall under. One statement where the spans share their half
 * terms (see the module's comment), else one read per span. Throws as sessionsByCode.
 */
export async function sessionsByCodeEach(connection: Connection, queries: readonly MeasureQuery[]): Promise<CodeSessions[][]> {
  const read = await sharedHalfTerms(connection, queries);
  if (!read) return oneByOne(queries, (query) => sessionsByCode(connection, query));
  // A code's words are those of the latest regime among its marks in each half term, then in
  // the span (the latest of those), as sessionsByCode takes them over the span at once.
  const rows = await cachedRows<CodeSessions & Row & { span: number }>(
    connection,
    `WITH ${read.sql}, ${codeUnitsSql(undefined, true, false, true)},
     per_half AS (
       SELECT c.member, c.code::VARCHAR AS code, max(cc.regime) AS regime, arg_max(cc.category, cc.regime) AS category,
              arg_max(cc.meaning, cc.regime) AS meaning, sum(c.sessions) AS n
       FROM c
       JOIN code_catalogue cc
         ON cc.code = c.code
        AND cc.regime = CASE WHEN c.date >= $regime_from::DATE THEN '2024' ELSE '2006' END
       GROUP BY c.member, c.code),
     ${SPAN_STARTS(queries.length)}
     SELECT s.span, p.code, arg_max(p.category, p.regime) AS category, arg_max(p.meaning, p.regime) AS meaning, sum(p.n)::INTEGER AS sessions
     FROM per_half p JOIN halves h USING (member) JOIN span_starts s ON h.r_from >= s.s_from
     GROUP BY s.span, p.code
     ORDER BY s.span, sessions DESC, p.code`,
    read.params,
  );
  return queries.map((_, i) => rows.filter((row) => row.span === i).map(({ code, category, meaning, sessions }) => ({ code, category, meaning, sessions })));
}

/** `read` of each query, one after another (as the pack read them before). */
async function oneByOne<T>(queries: readonly MeasureQuery[], read: (query: MeasureQuery) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (const query of queries) results.push(await read(query));
  return results;
}

/** Each span's index (`span`) and first day (`s_from`, the parameter start_i). */
const SPAN_STARTS = (n: number) =>
  `span_starts AS (SELECT * FROM (VALUES ${Array.from({ length: n }, (_, i) => `(${i}, $start_${i}::DATE)`).join(", ")}) v(span, s_from))`;

/**
 * The longest of `queries` as scopedMarksSql reads it under half-term membership (its `halves`
 * among the CTEs), with each span's first day as the parameter start_i, when one read of it
 * gives every span's sums (the module's comment); else null.
 */
async function sharedHalfTerms(connection: Connection, queries: readonly MeasureQuery[]): Promise<{ sql: string; params: SqlParams } | null> {
  if (queries.length < 2) return null;
  for (const query of queries) assertPeriod(query);
  const [first] = queries;
  const same = (q: MeasureQuery) =>
    q.to === first.to &&
    q.membership === "half-term" &&
    !q.slice &&
    q.withCode === undefined &&
    (q.population ?? "whole-roll") === (first.population ?? "whole-roll") &&
    JSON.stringify(Object.entries(q.filter ?? {}).filter(([, v]) => v !== undefined && v !== "").sort()) ===
      JSON.stringify(Object.entries(first.filter ?? {}).filter(([, v]) => v !== undefined && v !== "").sort());
  if (!queries.every(same) || first.filter?.upn) return null;
  const from = queries.map((q) => q.from).sort()[0];
  // The half terms with school days in the longest span, and the first school day of each.
  const halves = await cachedRows<Row & { h_from: string }>(
    connection,
    `SELECT strftime(min(date), '%Y-%m-%d') AS h_from FROM school_days WHERE date BETWEEN $from::DATE AND $to::DATE GROUP BY half_term ORDER BY min(date)`,
    { from, to: first.to },
  );
  // One half term: the spans are read at the period's end (measures.ts asRead), one by one.
  if (halves.length < 2) return null;
  const starts = new Set([from, ...halves.slice(1).map((h) => h.h_from)]);
  if (!queries.every((q) => starts.has(q.from))) return null;
  const { sql, params } = scopedMarksSql({ ...first, from });
  queries.forEach((q, i) => (params[`start_${i}`] = q.from));
  return { sql, params };
}
