/**
 * A governor's span's finest pupil groups (summariseAtoms under half-term membership, the whole
 * roll and the DfE's population) worked out from one read of its academic year: each pupil's
 * counts in each half term, with the characteristics in force at that half term's end.
 *
 * Why: a governors' pack plans every span a governor can open that ends with a half term of
 * the year (each half term, each term and the year to the end of each: analytics/
 * governor-lattice.ts forcedRows), some 15 to 30 spans, and read each one's atoms with its own
 * grouped statement over the register's units; at 4,500 pupils those reads were some 3 s of a
 * pack's 7 s of DuckDB time, each re-reading the same pupils' same half terms. Every figure of
 * those atoms is a function of the pupils' half-term rows of the span (see spanAtomsOf), so
 * one read of the year serves them all.
 * Session 37 (buildPack "fgb" from a fresh connection, old and new trees alternated, load 3-8,
 * medians, wall / CPU of the process): demo autumn 2026 first build 4.65 / 4.48 -> 3.86 /
 * 3.65 s, again 1.78 / 1.66 -> 1.12 / 1.06 s (6 runs each), 86 -> 63 statements; 4,500 pupils
 * summer 2026 first build 18.1 / 18.7 -> 14.2 / 16.8 s, again 9.7 / 9.1 -> 6.5 / 6.6 s (3 runs
 * each), 87 -> 69 statements. scripts/governor-plan-digest.ts: every plan and pack the same.
 *
 * When the rows answer a span exactly as its own read would (yearRowsFit, spanFits): the span
 * is whole half terms of one academic year and ends on its last half term's last school day
 * (so each half term's characteristics are read on the same day as the span's own read reads
 * them: measures.ts scopedMarksSql, `m_date`); the year has no mark on a day outside its
 * school days (so each half term's counts are its school days', whatever range either read
 * gives it); each pupil has one characteristics row per half term (no row read twice); and
 * the DfE's population is the same for the span as for the year (dfePopulation of its end).
 * Otherwise null, and the caller reads the span itself; likewise where the year's rows would not
 * be kept for the next span (analytics/db.ts keepsWork). test/span-atoms.test.ts compares both
 * on the demo register for every span a pack plans and on hand-built registers.
 */
import type { Connection, Row } from "./db.ts";
import { cachedOne, cachedRowsToRead, keepsWork, keptWork } from "./db.ts";
import { halfTermsOf, type HalfTerm } from "./governor-periods.ts";
import { LEAVERS_PREFIX } from "./leavers.ts";
import {
  PUPIL_DIMENSIONS,
  PUPIL_KEYS,
  UNIT_PER_PUPIL_COUNTS,
  atomOf,
  dfePopulation,
  scopedMarksSql,
  unitsSql,
  type AtomBoundsRow,
  type AtomCounts,
  type Counts,
  type PupilDimension,
} from "./measures.ts";
import { academicYearBounds, academicYearOf } from "./period-names.ts";
import { persistentlyAbsent, severelyAbsent } from "./judged-span.ts";
import { format, parseISO, subDays } from "date-fns";

/** One pupil's counts in one half term of the year read (a `ph` row of summariseAtoms with its scope row). */
interface PupilHalf {
  pupil: number;
  /** The half term's index in YearRows.halves. */
  half: number;
  possible: number;
  present: number;
  aea: number;
  authorised: number;
  unauthorised: number;
  /** The characteristics at the half term's end, in PUPIL_DIMENSIONS' order ('' where missing). */
  keys: string[];
  /** keys joined, as a map key. */
  key: string;
  admission: string;
  leaving: string | null;
  inDfe: boolean;
}

/** An academic year's pupils' half-term rows, and whether they can answer its spans (yearRowsFit). */
interface YearRows {
  /** The year's half terms, in order (their school days' first and last dates). */
  halves: HalfTerm[];
  /** The range read: the academic year's first day to its last half term's last school day. */
  from: string;
  to: string;
  rows: PupilHalf[];
  /** False where the rows cannot answer any span exactly (see the module's words). */
  fits: boolean;
}

/**
 * The atoms of `span` (whole roll and DfE population, as summariseAtoms(governorQuery(span))
 * and its "dfe" population give them, in the same order), from its academic year's half-term
 * rows; null where they cannot be given so (spanFits, yearRowsFit), or where the year's rows
 * would not be kept (analytics/db.ts keepsWork: the result cache off and no piece of work, so
 * every span would read the year again). The year's rows are read once per piece of work or
 * register generation (keptWork), and are the last read's object where their content is the
 * same (sameAsLast): the same spans' groups then come back, as the same arrays, to a later piece
 * of work. Throws what the reads throw.
 */
export async function spanAtomsFromYear(
  connection: Connection,
  span: { from: string; to: string }
): Promise<{ whole: AtomCounts[]; dfe: AtomCounts[] } | null> {
  // Where the year's rows would not be kept (no result cache, no piece of work: a test, a
  // script), each span would read its whole year: its own read is cheaper.
  if (!keepsWork(connection)) return null;
  const all = await halfTermsOf(connection);
  const bounds = academicYearBounds(academicYearOf(span.to));
  if (span.from < bounds.from || span.to > bounds.to) return null;
  const halves = all.filter((h) => h.from >= bounds.from && h.to <= bounds.to);
  if (!spanFits(halves, span)) return null;
  // Half terms crossing the year's edges would be cut by the year's read.
  if (
    all.some(
      (h) =>
        h.from <= bounds.to &&
        h.to >= bounds.from &&
        !(h.from >= bounds.from && h.to <= bounds.to)
    )
  )
    return null;
  const year = await yearRows(connection, halves, bounds.from);
  if (!year.fits) return null;
  // The DfE's population is by the span's end (dfePopulation): the same as the year's read's?
  const [s, y] = [dfePopulation(span.to), dfePopulation(year.to)];
  if (s.bornFrom !== y.bornFrom || s.bornTo !== y.bornTo) return null;
  // Derived once per span and year's rows: a governors' pack asks for a span's groups from the
  // measures (the whole roll, then the DfE's population: each derived both) and from its plans
  // (governor-lattice.ts spanAtoms): at 4,500 pupils, summer 2026, 23 derivations of 14 spans.
  // The year's rows are the same object while their content is (sameYearRows), so the same
  // arrays come back to every later piece of work on an unchanged register, and what is kept
  // by them (governor-lattice.ts: the tables, their keys, the plans' views) is found by them
  // instead of being worked out again from their content. The arrays are never changed by a reader.
  let bySpan = derivedOfYear.get(year);
  if (!bySpan) derivedOfYear.set(year, (bySpan = new Map()));
  const key = `${span.from}|${span.to}`;
  let derived = bySpan.get(key);
  if (!derived) bySpan.set(key, (derived = spanAtomsOf(year, span)));
  return derived;
}

/** Each year's rows' spans' atoms (spanAtomsOf), by span: at most the year's whole half-term spans (some 20). */
const derivedOfYear = new WeakMap<YearRows, Map<string, { whole: AtomCounts[]; dfe: AtomCounts[] }>>();

/**
 * Whether `span` is whole half terms of `halves` (every school day in it in a half term wholly
 * inside it, at least one) ending on its last half term's last school day.
 */
function spanFits(
  halves: readonly HalfTerm[],
  span: { from: string; to: string }
): boolean {
  const touching = halves.filter((h) => h.from <= span.to && h.to >= span.from);
  if (touching.length === 0) return false;
  if (touching.some((h) => h.from < span.from || h.to > span.to)) return false;
  return touching[touching.length - 1].to === span.to;
}

const yearRowsKept = new Map<string, Promise<YearRows>>();

/**
 * The year's rows (readYearRows), once per piece of work or register generation; where they
 * are the same as the rows last read for the same year (sameYearRows), those rows' object.
 */
function yearRows(
  connection: Connection,
  halves: HalfTerm[],
  from: string
): Promise<YearRows> {
  const to = halves[halves.length - 1].to;
  const key = yearKey(halves, from);
  return keptWork(
    connection,
    yearRowsKept,
    8,
    `yearPupilHalves\u0000${key}`,
    async () => sameAsLast(key, await readYearRows(connection, halves, from, to))
  );
}

/**
 * The rows last read for each year (by yearKey), whatever the register (their content is
 * compared, never their source): without the result cache (the CLI, the benchmark, a pack
 * from a fresh connection) each piece of work reads the year afresh, and every span's groups,
 * their tables and the keys of the plans kept on them were worked out again from new arrays
 * of the same content (at 4,500 pupils, a governors' pack built again, session 41's profile:
 * some 0.75 s of Node's thread and half of its 0.9 s of garbage collection). Bounded: the
 * oldest year goes first.
 */
const lastYears = new Map<string, YearRows>();
const LAST_YEARS_MAX = 4;

/**
 * Forgets the years' last rows (sameAsLast), as a changed register would make them unusable:
 * with governor-lattice.ts forgetKeptPlans, for the benchmark's first build of a pack after an
 * import, whose spans' groups and tables are then worked out afresh too.
 */
export function forgetYearRows(): void {
  lastYears.clear();
}

/** `read`, or the year's last rows where they are the same (sameYearRows); kept as the year's last. */
function sameAsLast(key: string, read: YearRows): YearRows {
  const last = lastYears.get(key);
  const kept = last !== undefined && sameYearRows(last, read) ? last : read;
  lastYears.delete(key);
  lastYears.set(key, kept);
  if (lastYears.size > LAST_YEARS_MAX) lastYears.delete(lastYears.keys().next().value!);
  return kept;
}

/** Whether two reads of a year's rows are the same: range, half terms, fit and every row's every field, in order. */
function sameYearRows(a: YearRows, b: YearRows): boolean {
  if (a.from !== b.from || a.to !== b.to || a.fits !== b.fits || a.rows.length !== b.rows.length || a.halves.length !== b.halves.length) return false;
  for (let i = 0; i < a.halves.length; i++) {
    const [x, y] = [a.halves[i], b.halves[i]];
    if (x.key !== y.key || x.term !== y.term || x.academicYear !== y.academicYear || x.from !== y.from || x.to !== y.to) return false;
  }
  for (let i = 0; i < a.rows.length; i++) {
    const [x, y] = [a.rows[i], b.rows[i]];
    if (
      x.pupil !== y.pupil ||
      x.half !== y.half ||
      x.possible !== y.possible ||
      x.present !== y.present ||
      x.aea !== y.aea ||
      x.authorised !== y.authorised ||
      x.unauthorised !== y.unauthorised ||
      x.admission !== y.admission ||
      x.leaving !== y.leaving ||
      x.inDfe !== y.inDfe ||
      x.keys.length !== y.keys.length ||
      x.keys.some((k, j) => k !== y.keys[j])
    )
      return false;
  }
  return true;
}

/** What a year's rows depend on besides the register: its range and its half terms. */
function yearKey(halves: readonly HalfTerm[], from: string): string {
  return `${from}|${halves[halves.length - 1].to}|${halves.map((h) => `${h.key}:${h.from}:${h.to}`).join(",")}`;
}

/**
 * Reads each pupil's counts per half term from `from` to `to` (half-term membership: the same
 * CTEs as summariseAtoms, scopedMarksSql and unitsSql, over the year), with the half term's
 * scope row (characteristics at its end, admission and leaving dates) and whether the pupil is
 * in the DfE's population; and whether the rows fit (yearRowsFit).
 */
async function readYearRows(
  connection: Connection,
  halves: HalfTerm[],
  from: string,
  to: string
): Promise<YearRows> {
  const { sql, params } = scopedMarksSql(
    { from, to, membership: "half-term" },
    { chosen: true }
  );
  const range = dfePopulation(to);
  params.born_from = range.bornFrom;
  params.born_to = range.bornTo;
  const rows = await cachedRowsToRead<
    Row &
      Counts &
      Record<PupilDimension, string> & {
        pupil_id: number;
        member: string;
        possible: number;
        present: number;
        aea: number;
        authorised: number;
        unauthorised: number;
        admission: string;
        leaving: string | null;
        in_dfe: boolean;
        copies: number;
      }
  >(
    connection,
    `WITH ${sql}, ${unitsSql(undefined, true)},
     ph AS (SELECT u.pupil_id, u.member, ${UNIT_PER_PUPIL_COUNTS} FROM u GROUP BY ALL),
     dfe_ids AS (
       SELECT ids.pupil_id, (p.dob BETWEEN $born_from::DATE AND $born_to::DATE) IS TRUE AS in_dfe
       FROM pupils p JOIN pupil_ids ids ON ids.upn = p.upn)
     SELECT ph.pupil_id, ph.member, ph.possible, ph.present, ph.aea, ph.authorised, ph.unauthorised, ${PUPIL_KEYS},
            strftime(s.admission_date, '%Y-%m-%d') AS admission, strftime(s.leaving_date, '%Y-%m-%d') AS leaving, d.in_dfe,
            count(*) OVER (PARTITION BY ph.pupil_id, ph.member)::INTEGER AS copies
     FROM ph JOIN scope s USING (pupil_id, member) JOIN dfe_ids d USING (pupil_id)`,
    params
  );
  // A mark on a day outside the school days (between half terms, or before the first) counts
  // in a half term by a range the span's own read may draw otherwise: then no span is answered.
  const outside = await cachedOne<Row & { n: number }>(
    connection,
    `SELECT count(*)::INTEGER AS n FROM mark_days d WHERE d.date BETWEEN $from::DATE AND $to::DATE AND d.date NOT IN (SELECT date FROM school_days)`,
    academicYearBounds(academicYearOf(to))
  );
  const index = new Map(halves.map((h, i) => [h.key, i]));
  let fits = Number(outside?.n ?? 1) === 0;
  const result: PupilHalf[] = [];
  for (const r of rows) {
    const half = index.get(r.member);
    if (half === undefined || Number(r.copies) !== 1) {
      fits = false;
      break;
    }
    const keys = PUPIL_DIMENSIONS.map((d) => r[d]);
    result.push({
      pupil: Number(r.pupil_id),
      half,
      possible: Number(r.possible),
      present: Number(r.present),
      aea: Number(r.aea),
      authorised: Number(r.authorised),
      unauthorised: Number(r.unauthorised),
      keys,
      key: keys.join("\u0000"),
      admission: r.admission,
      leaving: r.leaving,
      inDfe: r.in_dfe === true,
    });
  }
  // In one order whatever order DuckDB gives them (a grouped read has none), so that two reads
  // of the same rows compare the same (sameYearRows); spanAtomsOf gives the same groups in any.
  result.sort((a, b) => a.pupil - b.pupil || a.half - b.half);
  return { halves, from, to, rows: result, fits };
}

/** The day before an ISO date. */
const dayBefore = (date: string): string => format(subDays(parseISO(date), 1), "yyyy-MM-dd");

/** A pupil over the span (summariseAtoms' `pl`): all their sessions, and their last half term's. */
interface SpanPupil {
  possible: number;
  absent: number;
  last: number;
  lastKeys: string[];
  lastKey: string;
  inDfe: boolean;
  /** Their possible and absent sessions by the characteristics of each half term (`pk`). */
  byKey: Map<string, { possible: number; absent: number }>;
}

/** A finest group's counts and bounds as summariseAtoms' row gives them. */
type AtomRow = Counts &
  AtomBoundsRow & { absent_pupils: number } & Record<PupilDimension, string>;

/** One set of boundsColumns (analytics/measures.ts) folded pupil by pupil: null where no pupil counts. */
class Bounds {
  least_possible: number | null = null;
  pa_least_absent: number | null = null;
  pa_most: number | null = null;
  pa_other_most: number | null = null;
  sa_least_absent: number | null = null;
  sa_most: number | null = null;
  sa_other_most: number | null = null;
  counted_absent: number | null = null;

  /** One counted pupil: `p` sessions possible and `a` missed; persistently (`pa`), severely (`sa`) absent over the span. */
  add(p: number, a: number, pa: boolean, sa: boolean): void {
    if (this.least_possible === null || p < this.least_possible)
      this.least_possible = p;
    if (pa) {
      if (this.pa_least_absent === null || a < this.pa_least_absent)
        this.pa_least_absent = a;
      if (this.pa_most === null || a > this.pa_most) this.pa_most = a;
    } else if (this.pa_other_most === null || a > this.pa_other_most)
      this.pa_other_most = a;
    if (sa) {
      if (this.sa_least_absent === null || a < this.sa_least_absent)
        this.sa_least_absent = a;
      if (this.sa_most === null || a > this.sa_most) this.sa_most = a;
    } else if (this.sa_other_most === null || a > this.sa_other_most)
      this.sa_other_most = a;
    this.counted_absent = (this.counted_absent ?? 0) + a;
  }
}

/** A finest group being summed (by_sessions, by_pupils, bounds of one population). */
class Group {
  pupils = 0;
  possible_sessions = 0;
  present_sessions = 0;
  aea_sessions = 0;
  authorised_sessions = 0;
  unauthorised_sessions = 0;
  pa_pupils = 0;
  sa_pupils = 0;
  absent_pupils = 0;
  own = new Bounds();
  whole = new Bounds();
  constructor(readonly keys: readonly string[]) {}

  /** As a row of summariseAtoms' statement (its column names). */
  row(): AtomRow {
    const [sen, fsm, eal, lac, sex, ethnicity, year_group, reg_group] =
      this.keys;
    const { own: o, whole: w } = this;
    return {
      sen,
      fsm,
      eal,
      lac,
      sex,
      ethnicity,
      year_group,
      reg_group,
      pupils: this.pupils,
      possible_sessions: this.possible_sessions,
      present_sessions: this.present_sessions,
      aea_sessions: this.aea_sessions,
      authorised_sessions: this.authorised_sessions,
      unauthorised_sessions: this.unauthorised_sessions,
      pa_pupils: this.pa_pupils,
      sa_pupils: this.sa_pupils,
      absent_pupils: this.absent_pupils,
      least_possible: o.least_possible,
      pa_least_absent: o.pa_least_absent,
      pa_most: o.pa_most,
      pa_other_most: o.pa_other_most,
      sa_least_absent: o.sa_least_absent,
      sa_most: o.sa_most,
      sa_other_most: o.sa_other_most,
      counted_absent: o.counted_absent,
      least_possible_whole: w.least_possible,
      pa_least_absent_whole: w.pa_least_absent,
      pa_most_whole: w.pa_most,
      pa_other_most_whole: w.pa_other_most,
      sa_least_absent_whole: w.sa_least_absent,
      sa_most_whole: w.sa_most,
      sa_other_most_whole: w.sa_other_most,
      counted_absent_whole: w.counted_absent,
    } as AtomRow;
  }
}

/**
 * The span's atoms from the year's rows: summariseAtoms' SQL under half-term membership, step
 * by step (its CTEs named): the rows of the span's half terms whose scope row the span's own
 * read makes (`ph`: admitted by the half term's range end, not left before its start, the
 * first from the span's start, the last to its end); each pupil's sums and last half term
 * (`pl`), the span's last half term and the DfE population's (`pl_last`); sessions by each half
 * term's characteristics (`by_sessions`), pupils by their last half term's or the leavers'
 * group (`by_pupils`), and the bounds of the counted pupils (`counted`, `pk`, `inside`,
 * `bounds`: analytics/measures.ts atomBoundsSql); ordered by the characteristics.
 */
function spanAtomsOf(
  year: YearRows,
  span: { from: string; to: string }
): { whole: AtomCounts[]; dfe: AtomCounts[] } {
  const { halves } = year;
  const first = halves.findIndex((h) => h.from >= span.from);
  let last = first;
  while (last + 1 < halves.length && halves[last + 1].to <= span.to) last++;
  const rangeFrom = halves.map((h, i) => (i === first ? span.from : h.from));
  const rangeTo = halves.map((_h, i) =>
    i === last
      ? span.to
      : i + 1 < halves.length
      ? dayBefore(halves[i + 1].from)
      : year.to
  );
  const rows: PupilHalf[] = [];
  for (const r of year.rows) {
    if (
      r.half >= first &&
      r.half <= last &&
      r.admission <= rangeTo[r.half] &&
      (r.leaving === null || r.leaving >= rangeFrom[r.half])
    )
      rows.push(r);
  }
  const pupils = new Map<number, SpanPupil>();
  for (const r of rows) {
    let p = pupils.get(r.pupil);
    if (!p)
      pupils.set(
        r.pupil,
        (p = {
          possible: 0,
          absent: 0,
          last: -1,
          lastKeys: r.keys,
          lastKey: r.key,
          inDfe: r.inDfe,
          byKey: new Map(),
        })
      );
    const absent = r.authorised + r.unauthorised;
    p.possible += r.possible;
    p.absent += absent;
    if (r.half > p.last) {
      p.last = r.half;
      p.lastKeys = r.keys;
      p.lastKey = r.key;
    }
    const k = p.byKey.get(r.key);
    if (k) {
      k.possible += r.possible;
      k.absent += absent;
    } else p.byKey.set(r.key, { possible: r.possible, absent });
  }
  let spanLast = -1;
  let dfeLast = -1;
  for (const p of pupils.values()) {
    if (p.last > spanLast) spanLast = p.last;
    if (p.inDfe && p.last > dfeLast) dfeLast = p.last;
  }
  return {
    whole: populationAtoms(halves, rows, pupils, false, spanLast),
    dfe: populationAtoms(halves, rows, pupils, true, dfeLast),
  };
}

/** One population's atoms (the whole roll, or `dfe` its pupils alone) of spanAtomsOf; `lastHalf`: its `pl_last`. */
function populationAtoms(
  halves: readonly HalfTerm[],
  rows: readonly PupilHalf[],
  pupils: ReadonlyMap<number, SpanPupil>,
  dfe: boolean,
  lastHalf: number
): AtomCounts[] {
  const groups = new Map<string, Group>();
  const groupOf = (keys: readonly string[], key: string): Group => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = new Group(keys)));
    return g;
  };
  // by_sessions: each half term's sessions in that half term's group.
  for (const r of rows) {
    if (dfe && !r.inDfe) continue;
    const g = groupOf(r.keys, r.key);
    g.possible_sessions += r.possible;
    g.present_sessions += r.present;
    g.aea_sessions += r.aea;
    g.authorised_sessions += r.authorised;
    g.unauthorised_sessions += r.unauthorised;
  }
  // by_pupils and the counted pupils' bounds: each pupil in their last half term's group, or the leavers'.
  const leaverKeys =
    lastHalf >= 0
      ? PUPIL_DIMENSIONS.map(() => `${LEAVERS_PREFIX}${halves[lastHalf].key}`)
      : [];
  const leaverKey = leaverKeys.join("\u0000");
  for (const p of pupils.values()) {
    if (dfe && !p.inDfe) continue;
    const leaver = p.last < lastHalf;
    const key = leaver ? leaverKey : p.lastKey;
    const g = groupOf(leaver ? leaverKeys : p.lastKeys, key);
    if (p.possible <= 0) continue;
    const pa = persistentlyAbsent(p.possible, p.absent);
    const sa = severelyAbsent(p.possible, p.absent);
    g.pupils += 1;
    if (pa) g.pa_pupils += 1;
    if (sa) g.sa_pupils += 1;
    if (p.absent > 0) g.absent_pupils += 1;
    // inside: the pupil's sessions among their group's own (a leaver's none).
    const own = leaver ? undefined : p.byKey.get(key);
    g.own.add(own ? own.possible : 0, own ? own.absent : 0, pa, sa);
    g.whole.add(p.possible, p.absent, pa, sa);
  }
  return [...groups.values()]
    .sort((a, b) => compareKeys(a.keys, b.keys))
    .map((g) => atomOf(g.row(), ""));
}

/** DuckDB's order of VARCHARs (by code point, as their UTF-8 bytes), key by key. */
function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i], b[i]];
    if (x === y) continue;
    const n = Math.min(x.length, y.length);
    for (let j = 0; j < n; j++) {
      // At the first unit that differs, the code points from there: a surrogate pair (above
      // U+FFFF) comes after every unit of the BMP, as in UTF-8, not before U+E000 as in UTF-16.
      if (x.charCodeAt(j) !== y.charCodeAt(j))
        return x.codePointAt(j)! - y.codePointAt(j)!;
    }
    return x.length - y.length;
  }
  return 0;
}
