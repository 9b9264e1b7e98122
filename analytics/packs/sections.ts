/**
 * Sections both packs share: headline figures against target and last year, trends, year
 * groups and classes, pupil groups, weekday and code patterns, and the Appendix A tabs.
 * Every figure comes from the measures (summarise, summariseBy, sessionsByCode); rates of a
 * "rest of the school" complement are derived from summed counts with withRates, the one
 * way rates are made. `min` is the small-group suppression (null in the staff-only pack).
 */
import { cachedOne, type Connection } from "../db.ts";
import {
  POPULATION_WORDS,
  wholeRollWords,
  summarise,
  summariseBy,
  summariseSessionsBy,
  summariseByEach,
  summariseWithinEach,
  withRates,
  type CodeSessions,
  type GroupDimension,
  type GroupMeasures,
  type Measures,
  type PupilDimension,
  type PupilFilter,
  type SessionGroupMeasures,
} from "../measures.ts";
import { academicYearBounds, academicYearOf, academicYearsWithMarks, formatTermKey } from "../periods.ts";
import { REGIME_2024_FROM } from "../codes.ts";
import type { Settings } from "../settings.ts";
import { findBenchmarkSet, type Benchmark } from "../benchmarks/compare.ts";
import { ALL_SCHOOLS_CAVEAT, likeForLike, type SchoolSpan } from "../benchmarks/comparison.ts";
import { ensureShippedBenchmarks } from "../benchmarks/load.ts";
import { MEASURE_WORDS, citeSource, describePeriod } from "../benchmarks/labels.ts";
import { listWords } from "../list-words.ts";
import type { BenchmarkMeasure } from "../benchmarks/store.ts";
import type { Block, Cell, ChartSpec, Figure, PackSection, PackTable, Tone } from "./model.ts";
import { formatThreshold, targetVerdict } from "../thresholds.ts";
import { cellText, diff, meetsTarget, NO_FIGURE, num, pct, periodLine, points, rate, settingRate, text, ukDate } from "./format.ts";
import { pupilCountCell, pupilRateCell, type SuppressionMin } from "./suppress.ts";
import { groupKey, NO_SUPPRESSION, WITHHELD_TEXT, type SuppressedFigure, type SuppressionPlan } from "../suppression.ts";
import { governorLattice } from "../governor-lattice.ts";
import { sessionsByCodeEach, summariseSessionsByEach } from "../half-term-spans.ts";
import { halfTermsOf, sameSpanLastYear } from "../governor-periods.ts";
import { markedPartOf } from "../unmarked-days.ts";
import { PA_NOT_GIVEN_TEXT, paNotGivenWhy, persistentAbsenceSpan, schoolDaysOf, type PaSpan } from "../pa-span.ts";
import { groupWords, isLeaversGroup } from "../leavers.ts";
import { classWords } from "../class-words.ts";
import { governorPeriodsWithheld, governorSliceFigures, governorSlices, sliceDates, splitGivenBy } from "../governor-view.ts";
import { printedDifference } from "../printed-difference.ts";
import { slicesWithheldWords, withheldRuleSentence } from "../withheld-rule.ts";
import { yearGroupWords } from "../year-group-words.ts";

/**
 * The governors' suppression plans for a pack's two spans; null in the staff-only pack. Every
 * table that shows a group's figures reads them from here, so a figure withheld in one table
 * is withheld in every table and tab.
 */
export interface PackSuppression {
  period: SuppressionPlan;
  yearToDate: SuppressionPlan;
  /**
   * Last year's same half terms and year to date, as the pages give them to a governor (the
   * plans of those spans: a figure withheld on the Overview for 2024/25 is withheld beside this
   * year's too); null without last year's calendar (the same dates a year earlier, by the
   * primary rule).
   */
  lastYear?: { period: SuppressionPlan; yearToDate: SuppressionPlan } | null;
}

/**
 * The figures a governor sees, by span, read from THE plan of that span every governor's page
 * reads too (analytics/governor-lattice.ts: the whole school, year groups, classes, every
 * characteristic beside the rest of the school, and the DfE's population), not a plan of the
 * pack's own: two plans of the same figures, each safe alone, let a reader subtract one
 * artefact's published figure from another's (issue 13, cases 8–9). A span without marks
 * withholds nothing (every figure is 0). `min`: settings' small_group_min.
 */
export async function packSuppression(connection: Connection, periods: PackPeriods, min: number): Promise<PackSuppression> {
  return {
    period: await governorSpanPlan(connection, periods.period, min),
    yearToDate: await governorSpanPlan(connection, periods.yearToDate, min),
    lastYear: periods.lastYear
      ? { period: await governorSpanPlan(connection, periods.lastYear.period, min), yearToDate: await governorSpanPlan(connection, periods.lastYear.yearToDate, min) }
      : null,
  };
}

/**
 * The governors' one plan of a span (governorLattice, with every cell withheld in one of its
 * half terms withheld), read by the pack's keys (analytics/suppression.ts groupKey); nothing
 * withheld for a span without marks. For every span a governor's pack prints group figures
 * of: its period, its year to date, and the previous term it compares the groups with.
 */
export async function governorSpanPlan(connection: Connection, span: Span, min: number): Promise<SuppressionPlan> {
  const plan = (await governorLattice(connection, span, null, min)).get("");
  return plan ? absenceAsRow(plan.asGroupPlan("whole-roll")) : { ...NO_SUPPRESSION, min };
}

/**
 * A group whose absence in sessions the plan withholds with its row shown (over a short span,
 * beside a withheld count of pupils absent at least once: analytics/governor-lattice.ts
 * absenceWithheld) is printed by the pack as a withheld row: nearly every figure the pack gives
 * of a group is made from its absent sessions (its rates, the reasons, weekdays and weeks, the
 * narrative's comparisons), and the whole school's takes the pack's figures with it
 * (fgb.ts schoolWithheldPack), as on every page a governor reads.
 */
function absenceAsRow(plan: SuppressionPlan): SuppressionPlan {
  const row = (key: string) => plan.rowHidden(key) || plan.hidden(key, "attended_sessions");
  return {
    ...plan,
    rowHidden: row,
    rowReason: (key) => plan.rowReason(key) ?? (row(key) ? "secondary" : null),
    hidden: (key, figure) => plan.hidden(key, figure) || row(key),
  };
}

const withheld = (plan: SuppressionPlan, key: string, figure: SuppressedFigure): Cell => ({ kind: "suppressed", text: plan.text(key, figure) });

/** A count of pupils under a plan: withheld with the plan's words, or shown. */
function plannedCount(plan: SuppressionPlan | null, key: string, figure: "pa_pupils" | "sa_pupils", value: number): Cell {
  return plan && plan.hidden(key, figure) ? withheld(plan, key, figure) : num(value);
}

/** The percentage made from a count: withheld whenever the count is. */
function plannedRate(plan: SuppressionPlan | null, key: string, figure: "pa_pupils" | "sa_pupils", value: number | null): Cell {
  return plan && plan.hidden(key, figure) ? withheld(plan, key, figure) : rate(value);
}

export interface Span {
  from: string;
  to: string;
}

/** What a pack is about: its own period (a month or a term) and the year to date at its end. */
export interface PackPeriods {
  period: Span;
  /** "March 2026", "Autumn 2026". */
  label: string;
  /** "This month", "This term". */
  noun: string;
  /**
   * The period part of the pack's file name when it is not the key asked for: a term or a
   * month not over is named by what it covers ("autumn-2026-to-autumn-1", "2026-12-to-2026-12-01").
   */
  fileKey?: string;
  yearToDate: Span;
  /**
   * "Same period last year" for each, when not the same dates a year earlier: the governors'
   * pack compares the same half terms of the year before (analytics/governor-periods.ts
   * governorLastYear), so that every span it reads is whole half terms.
   */
  lastYear?: { period: Span; yearToDate: Span };
}

/** A national figure, when the benchmarks module has one; never a typed-in number. */
/**
 * In a national figure's cell where none is loaded for the period: a governor read "No published
 * figure loaded" as a fault of the system (trial 54); the note under the table says why and who
 * loads them (nationalFigures).
 */
export const NO_NATIONAL = "Not available";

/**
 * Against target on the unrounded figure (analytics/thresholds.ts: meets when ≥ target). A
 * class at 96.08 % is "Below target (96.08%)" beside a 96.1 % target: the two decimals show
 * why a figure that prints as 96.1 % is below it.
 */
export function targetStatus(value: number | null, target: number): { text: string; tone: Tone } {
  if (value === null) return { text: "No figure", tone: "neutral" };
  // The one verdict every page and report gives (analytics/thresholds.ts targetVerdict).
  const verdict = targetVerdict(value, target);
  const words = `${verdict.words.charAt(0).toUpperCase()}${verdict.words.slice(1)}`;
  return { text: verdict.precise ? `${words} (${verdict.why})` : words, tone: verdict.meets ? "good" : "bad" };
}

const targetTag = (value: number | null, target: number): Cell => ({ kind: "tag", ...targetStatus(value, target) });

/** A group row's "rest of the school": the sums of every other group's counts. */
export function complementOf(rows: GroupMeasures[], group: string): Measures {
  const others = rows.filter((row) => row.group !== group);
  const sum = (key: keyof Measures) => others.reduce((total, row) => total + (row[key] as number), 0);
  return withRates({
    pupils: sum("pupils"),
    possible_sessions: sum("possible_sessions"),
    present_sessions: sum("present_sessions"),
    aea_sessions: sum("aea_sessions"),
    authorised_sessions: sum("authorised_sessions"),
    unauthorised_sessions: sum("unauthorised_sessions"),
    pa_pupils: sum("pa_pupils"),
    sa_pupils: sum("sa_pupils"),
  });
}

/** Why persistent and severe absence are not given over some of the headline's spans (" …"), or "". */
function paWhy(headline: Pick<Headline, "paGiven">): string {
  // A span with no school day (last year before the register began) has no figure to explain.
  // One sentence for every short span (paNotGivenWhy), each named once.
  const short = Object.values(headline.paGiven).filter((span) => span.schoolDays > 0 && !span.given);
  const why = paNotGivenWhy(short.filter((span, i) => short.findIndex((other) => other.named === span.named) === i));
  return why ? ` ${why}` : "";
}

/** "1 Aug 2025 to 24 Oct 2025": a span in the words every page states it in (ukDate). */
const spanWords = (span: Span) => `${ukDate(span.from)} to ${ukDate(span.to)}`;

/** a − b of the printed rates (analytics/printed-difference.ts), so a reader's subtraction agrees. */
export const gap = printedDifference;

/** Notes the reader needs: last year's figures (`headline.lastYearSpans`) under the old code set. */
export function codeRegimeNotes(headline: Pick<Headline, "lastYearSpans">): string[] {
  return headline.lastYearSpans.yearToDate.from < REGIME_2024_FROM
    ? ["Some of last year's figures are from registers kept under the attendance codes in force before 19 August 2024; the new codes count a few absences differently."]
    : [];
}

// ---------------------------------------------------------------------------------------
// Headline

export interface Headline {
  period: Measures;
  periodLastYear: Measures;
  yearToDate: Measures;
  yearToDateLastYear: Measures;
  /** The spans "same period last year" reads for the period and the year to date (ISO dates). */
  lastYearSpans: { period: Span; yearToDate: Span };
  /**
   * Whether persistent and severe absence are given over each span (analytics/pa-span.ts
   * persistentAbsenceSpan, the Overview's rule: 20 school days or more), and why not.
   */
  paGiven: { period: PaSpan; periodLastYear: PaSpan; yearToDate: PaSpan; yearToDateLastYear: PaSpan };
  /** The year to date on the DfE's population (aged 5–15 on 31 August): compared with national. */
  yearToDateDfe: Measures;
  national: NationalFigures;
}

/** Published national figures for the year to date (primary), by the benchmarks module's rules. */
export interface NationalFigures {
  byMeasure: Partial<Record<BenchmarkMeasure, Benchmark>>;
  /** Which publication and period they are, or why there are none. */
  notes: string[];
  /**
   * The published figures' period in words ("2025/26 full year") and whether it is the
   * school's year to date like for like (analytics/benchmarks/comparison.ts likeForLike):
   * the column is headed with its period, and "for reference" when it is another period.
   */
  period?: { words: string; like: boolean };
}

const NATIONAL_MEASURES: BenchmarkMeasure[] = [
  "overall_absence_pct",
  "authorised_absence_pct",
  "unauthorised_absence_pct",
  "persistent_absence_pct",
  "severe_absence_pct",
];

export async function nationalFigures(connection: Connection, periods: PackPeriods): Promise<NationalFigures> {
  const byMeasure: NationalFigures["byMeasure"] = {};
  try {
    await ensureShippedBenchmarks(connection);
    // One release for all five measures (issue 13, case 2).
    const found = await findBenchmarkSet(
      connection,
      { academicYear: academicYearOf(periods.yearToDate.to), period: "year-to-date", asOf: periods.yearToDate.to, allowEarlierYear: true },
      NATIONAL_MEASURES,
    );
    for (const measure of NATIONAL_MEASURES) {
      const figure = found.get(measure);
      if (figure) byMeasure[measure] = figure;
    }
  } catch (error) {
    return { byMeasure: {}, notes: [`National figures could not be read: ${(error as Error).message}`] };
  }
  const figures = Object.values(byMeasure);
  let period: NationalFigures["period"];
  let unlike: string | null = null;
  if (figures.length > 0) {
    const academicYear = academicYearOf(periods.yearToDate.to);
    const lastDay = (await cachedOne<{ last: string | null }>(connection, `SELECT strftime(max(date), '%Y-%m-%d') AS last FROM school_days WHERE academic_year = $year`, { year: academicYear }))?.last ?? null;
    const span: SchoolSpan = { academicYear, kind: "year-to-date", to: periods.yearToDate.to, complete: Boolean(lastDay && periods.yearToDate.to >= lastDay) };
    const f = figures[0];
    const like = likeForLike(span, f);
    period = { words: describePeriod(f.academicYear, f.period, f.periodEnd), like: like.like };
    if (!like.like && like.reason) unlike = `${like.reason.charAt(0).toUpperCase()}${like.reason.slice(1)}.`;
  }
  if (figures.length === 0) return { byMeasure, notes: [`No national figure for ${academicYearOf(periods.yearToDate.to)} or the year before is loaded: the school loads the DfE's published figures on the Benchmarks page.`] };
  // Said once each: several measures usually share a publication, and their caveats repeat.
  const sources = [...new Set(figures.map((f) => `${f.label}: ${citeSource(f)}`))];
  const caveats = [...new Set(figures.flatMap((f) => f.notes))];
  if (figures.some((f) => f.phase === "all-state-funded")) caveats.push(ALL_SCHOOLS_CAVEAT.charAt(0).toUpperCase() + ALL_SCHOOLS_CAVEAT.slice(1));
  // A measure the publication gives no figure for reads "Not available": said why (review 54:
  // the DfE's daily publication gives no severe absence, and nothing said so).
  const missing = NATIONAL_MEASURES.filter((measure) => !byMeasure[measure]).map((measure) => MEASURE_WORDS[measure].replace(/ \(.*\)$/, "").toLowerCase());
  const notGiven = missing.length > 0 ? [`The published figures loaded give no national figure for ${listWords(missing)} for this period: it reads "${NO_NATIONAL}".`] : [];
  return { byMeasure, notes: [`${sources.join("; ")}.`, ...notGiven, ...(unlike ? [unlike] : []), ...caveats.map((c) => `${c}.`)], period };
}

export async function headlineMeasures(connection: Connection, periods: PackPeriods, today?: string): Promise<Headline> {
  // Last year at the same place in the academic year, as every page reads it (sameSpanLastYear);
  // with `today`, to the same point as this year's marks where the register stops early
  // (markedPartOf), as the Overview reads it.
  const halfTerms = await halfTermsOf(connection);
  const marked = (span: Span) => (today === undefined ? Promise.resolve(span) : markedPartOf(connection, span, today));
  const lastYearSpans = periods.lastYear ?? {
    period: sameSpanLastYear(halfTerms, await marked(periods.period)),
    yearToDate: sameSpanLastYear(halfTerms, await marked(periods.yearToDate)),
  };
  return {
    period: await summarise(connection, periods.period),
    periodLastYear: await summarise(connection, lastYearSpans.period),
    yearToDate: await summarise(connection, periods.yearToDate),
    yearToDateLastYear: await summarise(connection, lastYearSpans.yearToDate),
    lastYearSpans: { period: { from: lastYearSpans.period.from, to: lastYearSpans.period.to }, yearToDate: { from: lastYearSpans.yearToDate.from, to: lastYearSpans.yearToDate.to } },
    paGiven: {
      period: await persistentAbsenceSpan(connection, periods.period, periods.label),
      periodLastYear: await persistentAbsenceSpan(connection, lastYearSpans.period, `the same period last year (${spanWords(lastYearSpans.period)})`),
      yearToDate: await persistentAbsenceSpan(connection, periods.yearToDate, `the year to date (${spanWords(periods.yearToDate)})`),
      yearToDateLastYear: await persistentAbsenceSpan(connection, lastYearSpans.yearToDate, `last year to date (${spanWords(lastYearSpans.yearToDate)})`),
    },
    yearToDateDfe: await summarise(connection, { ...periods.yearToDate, population: "dfe" }),
    national: await nationalFigures(connection, periods),
  };
}

/**
 * The headline figures against target, last year and national. `plans` (governors): the
 * whole school's and the DfE population's persistently and severely absent counts this
 * term and year to date are withheld as the span's one plan says (packSuppression); last
 * year's as the plans of last year's spans say (the school's row, or its counts: the same as
 * the Overview gives a governor for those spans), and by the primary rule without them.
 */
export function headlineSection(headline: Headline, periods: PackPeriods, settings: Settings, min: SuppressionMin, plans: PackSuppression | null = null): PackSection {
  const target = settings.target_attendance_pct;
  const { period, yearToDate, periodLastYear, yearToDateLastYear } = headline;
  // Where a figure sits in the span's plan: the whole school ("school") or the DfE's population ("dfe").
  type Where = { plan: SuppressionPlan; key: string } | null;
  // Last year's spans' plans (governors, with last year's calendar): the school's row there.
  const lastPeriodSchool: Where = plans?.lastYear ? { plan: plans.lastYear.period, key: groupKey.school } : null;
  const lastYtdSchool: Where = plans?.lastYear ? { plan: plans.lastYear.yearToDate, key: groupKey.school } : null;
  const rowOut = (where: Where): boolean => where !== null && where.plan.rowHidden(where.key);
  const attendanceFigure = (label: string, m: Measures, lastYear: Measures, lastWhere: Where): Figure => ({
    label,
    value: rate(m.attendance_pct),
    details: [
      // The tag's own verdict's gap (targetVerdict), never the printed figures' (96.117 % read
      // "±0.0 pts against the 96.1% target" under "Above target (96.12%)").
      `${m.attendance_pct === null ? points(null) : targetVerdict(m.attendance_pct, target).points} against the ${formatThreshold(target, 1)} target`,
      rowOut(lastWhere) ? `Same period last year: ${WITHHELD_TEXT}` : `Same period last year: ${pct(lastYear.attendance_pct)} (${points(gap(m.attendance_pct, lastYear.attendance_pct))})`,
      `${(m.present_sessions + m.aea_sessions).toLocaleString("en-GB")} of ${m.possible_sessions.toLocaleString("en-GB")} possible sessions attended`,
    ],
    status: targetStatus(m.attendance_pct, target),
  });
  const ytdSchool: Where = plans ? { plan: plans.yearToDate, key: groupKey.school } : null;
  const countCell = (m: Measures, figure: "pa_pupils" | "sa_pupils", where: Where): Cell =>
    where ? (where.plan.hidden(where.key, figure) ? withheld(where.plan, where.key, figure) : num(m[figure])) : pupilCountCell(m[figure], min);
  const rateCell = (m: Measures, figure: "pa_pupils" | "sa_pupils", where: Where): Cell => {
    const value = figure === "pa_pupils" ? m.pa_pct : m.sa_pct;
    return where ? (where.plan.hidden(where.key, figure) ? withheld(where.plan, where.key, figure) : rate(value)) : pupilRateCell(m[figure], value, min);
  };
  const paFigure: Figure = !headline.paGiven.yearToDate.given ? {
    label: "Persistent absence, year to date",
    value: text(PA_NOT_GIVEN_TEXT),
    details: [headline.paGiven.yearToDate.why!],
  } : {
    label: "Persistent absence, year to date",
    value: rateCell(yearToDate, "pa_pupils", ytdSchool),
    details: [
      paCountWords(countCell(yearToDate, "pa_pupils", ytdSchool), yearToDate.pupils),
      `Same period last year: ${cellWords(lastYtdSchool ? rateCell(yearToDateLastYear, "pa_pupils", lastYtdSchool) : pupilRateCell(yearToDateLastYear.pa_pupils, yearToDateLastYear.pa_pct, min))}`,
    ],
  };
  const unauthorisedFigure: Figure = {
    label: "Unauthorised absence, year to date",
    value: rate(yearToDate.unauthorised_pct),
    details: [
      `${yearToDate.unauthorised_sessions.toLocaleString("en-GB")} sessions`,
      `Same period last year: ${rowOut(lastYtdSchool) ? WITHHELD_TEXT : pct(yearToDateLastYear.unauthorised_pct)}`,
    ],
  };
  type Row = { label: string; pick: (m: Measures, where?: Where) => Cell; change: (a: Measures, b: Measures) => Cell; target?: Cell; national?: Cell; figure?: "pa_pupils" | "sa_pupils" };
  const national = (measure: BenchmarkMeasure, transform: (v: number) => number = (v) => v): Cell => {
    const figure = headline.national.byMeasure[measure];
    if (!figure) return text(NO_NATIONAL);
    // All state-funded schools (secondary included) is marked where it is printed (case 3).
    return figure.phase === "primary" ? rate(transform(figure.value)) : text(`${pct(transform(figure.value))} (all schools, for reference)`);
  };
  const rateChange = (key: keyof Measures) => (a: Measures, b: Measures) => diff(gap(a[key] as number | null, b[key] as number | null));
  // A change is withheld with either figure: this period's as the plan says (its Where is
  // passed), last year's by the primary rule here and, for a governor, by the plan of last
  // year's span too (changeCell below).
  const pupilRateChange = (countKey: "pa_pupils" | "sa_pupils", key: "pa_pct" | "sa_pct") => (a: Measures, b: Measures, where?: Where) =>
    where && where.plan.hidden(where.key, countKey)
      ? withheld(where.plan, where.key, countKey)
      : min !== null && ((a[countKey] > 0 && a[countKey] < min) || (b[countKey] > 0 && b[countKey] < min))
        ? ({ kind: "suppressed", text: WITHHELD_TEXT } as Cell)
        : diff(gap(a[key], b[key]));
  const rows: Row[] = [
    // Attendance and overall absence are complements by definition (both over possible sessions).
    { label: "Attendance", pick: (m) => rate(m.attendance_pct), change: rateChange("attendance_pct"), target: settingRate(target), national: national("overall_absence_pct", (v) => 100 - v) },
    { label: "Overall absence", pick: (m) => rate(m.absence_pct), change: rateChange("absence_pct"), national: national("overall_absence_pct") },
    { label: "Authorised absence", pick: (m) => rate(m.authorised_pct), change: rateChange("authorised_pct"), national: national("authorised_absence_pct") },
    { label: "Unauthorised absence", pick: (m) => rate(m.unauthorised_pct), change: rateChange("unauthorised_pct"), national: national("unauthorised_absence_pct") },
    { label: "Persistent absence (% of pupils)", pick: (m, where) => rateCell(m, "pa_pupils", where ?? null), change: pupilRateChange("pa_pupils", "pa_pct"), national: national("persistent_absence_pct"), figure: "pa_pupils" },
    { label: "Persistently absent pupils", pick: (m, where) => countOrNone(m, () => countCell(m, "pa_pupils", where ?? null)), change: () => text(""), figure: "pa_pupils" },
    { label: "Severe absence (% of pupils)", pick: (m, where) => rateCell(m, "sa_pupils", where ?? null), change: pupilRateChange("sa_pupils", "sa_pct"), national: national("severe_absence_pct"), figure: "sa_pupils" },
    { label: "Pupils on roll with sessions", pick: (m) => countOrNone(m, () => num(m.pupils)), change: () => text("") },
    { label: "Possible sessions", pick: (m) => countOrNone(m, () => num(m.possible_sessions)), change: () => text("") },
  ];
  const table: PackTable = {
    caption: `Whole school: ${periods.label} and the year to date`,
    columns: [
      { label: "Measure" },
      { label: periods.noun, numeric: true },
      { label: "Same period last year", numeric: true },
      { label: "Change", numeric: true },
      { label: "Year to date", numeric: true },
      { label: "Last year to date", numeric: true },
      { label: "Change", numeric: true },
      { label: "Target", numeric: true },
      { label: "Year to date, aged 5–15 (DfE basis)", numeric: true },
      // Headed with the published figures' own period; "for reference" when it is not the school's (likeForLike).
      { label: headline.national.period ? `National (${headline.national.period.words}${headline.national.period.like ? "" : ", for reference"})` : "National", numeric: true },
    ],
    rows: rows.map((row) => {
      const periodSchool: Where = plans ? { plan: plans.period, key: groupKey.school } : null;
      const ytdDfe: Where = plans ? { plan: plans.yearToDate, key: "dfe" } : null;
      const change = row.change as (a: Measures, b: Measures, where?: Where) => Cell;
      // Last year's figure and the change from it: withheld with last year's row, or with
      // its own count where the plan of last year's span withholds it.
      const lastOut = (where: Where) => rowOut(where) || (row.figure !== undefined && where !== null && where.plan.hidden(where.key, row.figure));
      const lastCell = (m: Measures, where: Where): Cell => (rowOut(where) ? withheld(where!.plan, where!.key, "possible_sessions") : row.pick(m, where ?? undefined));
      const changeCell = (a: Measures, b: Measures, thisWhere: Where, lastWhere: Where): Cell =>
        lastOut(lastWhere) ? { kind: "suppressed", text: WITHHELD_TEXT } : change(a, b, thisWhere ?? undefined);
      // Persistent and severe absence over a span of fewer than 20 school days: not given
      // (the Overview's rule, analytics/pa-span.ts), nor their change.
      // (A span of no school day, last year before the register began, has no figure at all: "—".)
      const given = (span: keyof Headline["paGiven"]) => row.figure === undefined || headline.paGiven[span].given || headline.paGiven[span].schoolDays === 0;
      const unlessShort = (span: keyof Headline["paGiven"], cell: () => Cell): Cell => (given(span) ? cell() : text(PA_NOT_GIVEN_TEXT));
      const changeUnlessShort = (a: keyof Headline["paGiven"], b: keyof Headline["paGiven"], cell: () => Cell): Cell => (given(a) && given(b) ? cell() : text(""));
      return [
        text(row.label),
        unlessShort("period", () => row.pick(period, periodSchool)),
        unlessShort("periodLastYear", () => lastCell(periodLastYear, lastPeriodSchool)),
        changeUnlessShort("period", "periodLastYear", () => changeCell(period, periodLastYear, periodSchool, lastPeriodSchool)),
        unlessShort("yearToDate", () => row.pick(yearToDate, ytdSchool)),
        unlessShort("yearToDateLastYear", () => lastCell(yearToDateLastYear, lastYtdSchool)),
        changeUnlessShort("yearToDate", "yearToDateLastYear", () => changeCell(yearToDate, yearToDateLastYear, ytdSchool, lastYtdSchool)),
        row.target ?? text(""),
        // The DfE population's cell is withheld whole where the plan withholds it (the whole
        // roll less it would give the pupils outside it: one Reception child's attendance).
        row.national ? unlessShort("yearToDate", () => (rowOut(ytdDfe) ? withheld(ytdDfe!.plan, ytdDfe!.key, "possible_sessions") : row.pick(headline.yearToDateDfe, ytdDfe))) : text(""),
        row.national ?? text(""),
      ];
    }),
    note: `Last year: ${periods.lastYear ? "the same half terms a year earlier" : "the same place in the academic year a year earlier"} (this period ${spanWords(headline.lastYearSpans.period)}; the year to date ${spanWords(headline.lastYearSpans.yearToDate)}). Persistent absence: 10% or more of a pupil's own possible sessions missed; severe: 50% or more.${paWhy(headline)} National figures cover ${POPULATION_WORDS.dfe}; the school is compared on the same basis in the column beside them (the other columns are ${wholeRollWords(headline.yearToDate.pupils - headline.yearToDateDfe.pupils)}). National: ${headline.national.notes.join(" ")}`,
  };
  return {
    id: "headline",
    title: "Attendance against target, last year and national",
    sheet: "Headline",
    intro: `This pack covers ${periodLine(periods.label, periods.period)}; the year to date runs from ${ukDate(periods.yearToDate.from)} to ${ukDate(periods.yearToDate.to)}. The school's target is ${formatThreshold(target, 1)}.`,
    blocks: [
      {
        kind: "figures",
        items: [attendanceFigure(`Attendance, ${periods.label}`, period, periodLastYear, lastPeriodSchool), attendanceFigure("Attendance, year to date", yearToDate, yearToDateLastYear, lastYtdSchool), paFigure, unauthorisedFigure],
      },
      { kind: "table", table },
    ],
  };
}

/**
 * A count over a span, or "—" (NO_FIGURE, as its rates print) where the span has no register:
 * no pupil with a possible session in it (the same period last year before the school's first
 * year of marks). A 0 there would read as none absent, none on roll.
 */
function countOrNone(m: Measures, cell: () => Cell): Cell {
  return m.pupils === 0 && m.possible_sessions === 0 ? text(NO_FIGURE) : cell();
}

/**
 * The headline's persistent absence in words: "12 of 242 pupils missed 10% or more of their
 * sessions", or, the count withheld, "A number of the 242 pupils (withheld) missed …" — the
 * narrative's words for a withheld count (narrative.ts WITHHELD_PUPILS), never "withheld of 242".
 */
function paCountWords(count: Cell, pupils: number): string {
  const of = pupils.toLocaleString("en-GB");
  if (count.kind === "suppressed") return `A number of the ${of} pupils (withheld) missed 10% or more of their sessions`;
  return `${cellWords(count)} of ${of} pupils missed 10% or more of their sessions`;
}

/** Words for a cell inside a sentence. */
function cellWords(cell: Cell): string {
  switch (cell.kind) {
    case "count":
      return cell.value.toLocaleString("en-GB");
    case "pct":
      return cellText(cell);
    case "suppressed":
    case "text":
    case "tag":
      return cell.text;
    default:
      return "";
  }
}

// ---------------------------------------------------------------------------------------
// Trends

export const weekLabel = (weekStart: string) => ukDate(weekStart, "d MMM");

/**
 * The whole school's weeks: a chart of the year to date and a table of the period. `min`: in
 * the governors' pack, the small-group minimum, and a week is withheld as the pages withhold
 * the school's weeks (analytics/governor-view.ts governorSlices); null in the staff's.
 */
export async function weeklyTrendBlocks(connection: Connection, periods: PackPeriods, settings: Settings, min: number | null = null): Promise<Block[]> {
  const target = settings.target_attendance_pct;
  const slices = min === null ? null : await governorSlices(connection, { ...periods.yearToDate, filter: {} }, min);
  const withheldWeek = (week: string) => slices?.withheld(sliceDates("week", week).from, sliceDates("week", week).to) ?? null;
  // Both spans' weeks in one read where they share their half terms (a governors' term and its year to date).
  const [yearWeeks, periodWeeks] = await summariseSessionsByEach(connection, [periods.yearToDate, periods.period], "week");
  const weeks = yearWeeks.map((w) => (withheldWeek(w.group) ? { ...w, attendance_pct: null } : w));
  // Headed with the weeks' own span, first school day to last ("3 Sep 2026 to 23 Oct 2026"),
  // not the year to date's months ("August 2026 to October 2026" read a month with no school).
  const schoolDays = await schoolDaysOf(connection, { from: periods.yearToDate.from, to: periods.yearToDate.to });
  const weeksSpan = schoolDays.length > 0 ? `${ukDate(schoolDays[0])} to ${ukDate(schoolDays.at(-1)!)}` : `${ukDate(periods.yearToDate.from)} to ${ukDate(periods.yearToDate.to)}`;
  const chart: ChartSpec = {
    type: "line",
    title: `Weekly attendance, ${weeksSpan}`,
    yLabel: "Attendance (%)",
    categories: weeks.map((w) => weekLabel(w.group)),
    dates: { first: weeks.map((w) => w.group), unit: "week" },
    series: [{ name: "Attendance", values: weeks.map((w) => w.attendance_pct) }],
    target: { value: target, label: `Target ${formatThreshold(target, 1)}` },
  };
  const inPeriod = weeks.filter((w) => w.group >= weekStartOf(periods.period.from) && w.group <= periods.period.to);
  const table: PackTable = {
    caption: `Week by week, ${periods.label}`,
    // Governors: a week's absence in all, never by kind (analytics/governor-view.ts splitGivenBy).
    columns: [
      { label: "Week beginning" },
      { label: "Attendance", numeric: true },
      ...(splitGivenBy(min, "week") ? [{ label: "Authorised absence", numeric: true }, { label: "Unauthorised absence", numeric: true }] : [{ label: "Absence", numeric: true }]),
      { label: "Against target" },
    ],
    rows: periodWeeks.map((all): Cell[] => {
      const withheld = withheldWeek(all.group);
      const w = governorSliceFigures(min, "week", all);
      const split = splitGivenBy(min, "week") ? [rate(w.authorised_pct), rate(w.unauthorised_pct)] : [rate(w.absence_pct)];
      if (withheld) return [{ kind: "date", value: w.group }, ...Array<Cell>(split.length + 2).fill({ kind: "suppressed", text: withheld })];
      return [{ kind: "date", value: w.group }, rate(w.attendance_pct), ...split, targetTag(w.attendance_pct, target)];
    }),
    empty: "No school days in this period.",
    note: inPeriod.length > 0 ? "A week that straddles the start or end of the period counts only its days inside the period." : undefined,
    // Some weeks withheld, not all (a half term's, beside another's given): why, under the table.
    ...(min !== null ? { withheldWhy: slicesWithheldWords(min, 'Attendance in a week that reads "withheld"', "weeks") } : {}),
  };
  // Every week of the year to date withheld (governors): a chart of empty points read "No
  // figures to chart for this period" above the withheld weeks (trial19, Autumn 2026); say why.
  // A table whose every week is withheld printed a column of "withheld" under the sentence that
  // said so (trial20, FGB page 3): the sentence replaces it.
  const allWithheld = min !== null && weeks.length > 0 && weeks.every((w) => withheldWeek(w.group));
  const tableWithheld = min !== null && table.rows.length > 0 && table.rows.every((row) => row[1].kind === "suppressed");
  const withheldWords = (heading: string): Block => ({ kind: "paragraphs", heading, items: [slicesWithheldWords(min!, "Attendance week by week", "weeks")] });
  if (allWithheld) return [withheldWords(chart.title)];
  return [{ kind: "chart", chart }, tableWithheld ? withheldWords(table.caption) : { kind: "table", table }];
}

function weekStartOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - dow);
  return d.toISOString().slice(0, 10);
}

export async function termlyTrendChart(connection: Connection, upTo: string, settings: Settings): Promise<{ chart: ChartSpec; terms: SessionGroupMeasures[] }> {
  const first = await firstMarkDate(connection);
  // The terms' sessions alone (summariseSessionsBy: the same groups, sessions and rates as
  // summariseBy without its per-pupil step), as the chart prints no count of pupils.
  const terms = first && first <= upTo ? await summariseSessionsBy(connection, { from: first, to: upTo }, "term") : [];
  // The last term, when not over by upTo, is labelled by where it stops (not the whole term's name).
  const last = terms.at(-1)?.group;
  const lastEnd = last ? (await cachedOne<{ end: string | null }>(connection, `SELECT strftime(max(date), '%Y-%m-%d') AS end FROM school_days WHERE term = $term`, { term: last }))?.end ?? null : null;
  const termWords = (key: string) => (key === last && lastEnd !== null && lastEnd > upTo ? `${formatTermKey(key)} (to ${ukDate(upTo)})` : formatTermKey(key));
  return {
    terms,
    chart: {
      type: "bar",
      title: "Attendance term by term",
      yLabel: "Attendance (%)",
      categories: terms.map((t) => termWords(t.group)),
      series: [{ name: "Attendance", values: terms.map((t) => t.attendance_pct) }],
      target: { value: settings.target_attendance_pct, label: `Target ${formatThreshold(settings.target_attendance_pct, 1)}` },
    },
  };
}

/** Start of the earliest academic year with marks: the history the trend can show. */
async function firstMarkDate(connection: Connection): Promise<string | null> {
  const years = await academicYearsWithMarks(connection);
  return years.length > 0 ? academicYearBounds(years[years.length - 1]).from : null;
}

// ---------------------------------------------------------------------------------------
// Year groups and classes

export async function yearGroupsAndClassesSection(
  connection: Connection,
  periods: PackPeriods,
  settings: Settings,
  plans: PackSuppression | null,
): Promise<PackSection> {
  const target = settings.target_attendance_pct;
  // Persistent absence over a year to date of fewer than 20 school days: not given (analytics/pa-span.ts).
  const paGiven = (await persistentAbsenceSpan(connection, periods.yearToDate)).given;
  const tableFor = async (by: "year_group" | "reg_group", caption: string, label: (g: string) => string) => {
    const periodRows = (await summariseByEach(connection, periods.period)).get(by) ?? [];
    const ytdRows = (await summariseByEach(connection, periods.yearToDate)).get(by) ?? [];
    const groups = [...new Set([...ytdRows.map((r) => r.group), ...periodRows.map((r) => r.group)])];
    const find = (rows: GroupMeasures[], g: string) => rows.find((r) => r.group === g);
    const keyOf = (g: string) => (by === "year_group" ? groupKey.year(g) : groupKey.class(g));
    const ytdPlan = plans?.yearToDate ?? null;
    // A row goes whole when either span withholds it: its figures would give the other away.
    const rowHidden = (g: string) => Boolean(plans && (plans.yearToDate.rowHidden(keyOf(g)) || plans.period.rowHidden(keyOf(g))));
    const rowText = (g: string) => {
      const plan = plans!.yearToDate.rowHidden(keyOf(g)) ? plans!.yearToDate : plans!.period;
      return plan.text(keyOf(g), "pupils");
    };
    const rows: Cell[][] = groups.map((g) => {
      const p = find(periodRows, g);
      const y = find(ytdRows, g);
      // The leavers' pupils are printed with the rest of their row withheld, as on Year groups
      // & classes: every reader has them (the school's pupils over the span less over its last
      // half term; governor-lattice.ts isLeaversPublic), and "withheld" there left the rows short
      // of the school's total by a count anyone could work out (a fresh-clone trial: 241 − 237).
      if (rowHidden(g) && isLeaversGroup(g)) return [text(label(g)), num(y?.pupils ?? 0), ...Array(5).fill({ kind: "suppressed", text: rowText(g) } as Cell)];
      if (rowHidden(g)) return [text(label(g)), ...Array(6).fill({ kind: "suppressed", text: rowText(g) } as Cell)];
      return [
        text(label(g)),
        num(y?.pupils ?? 0),
        rate(p?.attendance_pct ?? null),
        rate(y?.attendance_pct ?? null),
        targetTag(y?.attendance_pct ?? null, target),
        paGiven ? plannedCount(ytdPlan, keyOf(g), "pa_pupils", y?.pa_pupils ?? 0) : text(PA_NOT_GIVEN_TEXT),
        paGiven ? plannedRate(ytdPlan, keyOf(g), "pa_pupils", y?.pa_pct ?? null) : text(PA_NOT_GIVEN_TEXT),
      ];
    });
    const chartGroups = groups.filter((g) => !rowHidden(g));
    const table: PackTable = {
      caption,
      columns: [
        { label: by === "year_group" ? "Year group" : "Class" },
        { label: "Pupils", numeric: true },
        { label: periods.noun, numeric: true },
        { label: "Year to date", numeric: true },
        { label: "Year to date against target" },
        { label: "PA pupils", numeric: true },
        { label: "PA %", numeric: true },
      ],
      rows,
      empty: "No pupils on roll in this period.",
    };
    const chart: ChartSpec = {
      type: "bar",
      title: `${caption}: attendance`,
      yLabel: "Attendance (%)",
      categories: chartGroups.map(label),
      series: periodAndYearSeries(
        periods.label,
        chartGroups.map((g) => find(periodRows, g)?.attendance_pct ?? null),
        chartGroups.map((g) => find(ytdRows, g)?.attendance_pct ?? null),
      ),
      target: { value: target, label: `Target ${formatThreshold(target, 1)}` },
    };
    return { table, chart };
  };
  const years = await tableFor("year_group", "Year groups", yearGroupLabel);
  const classes = await tableFor("reg_group", "Classes", classLabel);
  return {
    id: "year-groups",
    title: "Year groups and classes",
    sheet: "Year groups and classes",
    // Governors' figures (plans given: the FGB pack) are read half term by half term
    // (measures.ts governorQuery), with the leavers' row (analytics/leavers.ts); staff's at the period's end.
    intro: plans
      ? "Each half term's attendance is counted in the year group and class pupils were in at its end (or on their last day, if they left during it); pupils in the year group and class they were in at the end of the period. Over more than one half term, pupils who left before its last half term are counted in a row of their own (“Left before …”); their attendance stays with the year group and class they were in."
      : "Pupils are counted in the year group and class they were in at the end of each period (or on their last day, if they left).",
    blocks: [
      { kind: "chart", chart: years.chart },
      { kind: "table", table: years.table },
      { kind: "chart", chart: classes.chart },
      { kind: "table", table: classes.table },
    ],
  };
}

/**
 * The period's and the year-to-date series of a chart, or one of them when they are the same
 * figures (the autumn term is the whole year so far): two identical bars side by side say nothing.
 */
export function periodAndYearSeries(periodName: string, period: Array<number | null>, yearToDate: Array<number | null>): ChartSpec["series"] {
  const same = period.length === yearToDate.length && period.every((v, i) => v === yearToDate[i]);
  return same ? [{ name: `${periodName} (also the year to date)`, values: period }] : [{ name: periodName, values: period }, { name: "Year to date", values: yearToDate }];
}

export const yearGroupLabel = (g: string) => groupWords(g, yearGroupWords);

/** "Class 4B"; the leavers' row of a span of several half terms in words (analytics/leavers.ts). */
export const classLabel = (g: string) => groupWords(g, classWords);

// ---------------------------------------------------------------------------------------
// Pupil groups

/** The groups the policy names, each compared with the rest of the school. */
export const FOCUS_GROUPS: Array<{ by: GroupDimension; value: string; label: string; short: string; axis: string }> = [
  { by: "sen", value: "E", label: "EHC plan", short: "pupils with an EHC plan", axis: "EHC plan" },
  { by: "sen", value: "K", label: "SEN support", short: "pupils with SEN support", axis: "SEN support" },
  { by: "fsm", value: "Y", label: "Free school meals (FSM)", short: "FSM pupils", axis: "FSM" },
  { by: "eal", value: "Y", label: "English as an additional language (EAL)", short: "EAL pupils", axis: "EAL" },
  { by: "lac", value: "Y", label: "Looked after (LAC)", short: "looked-after children", axis: "Looked after" },
];

export interface GroupComparison {
  /** The plan's keys for the group and its rest of school (analytics/suppression.ts). */
  key: string;
  restKey: string;
  label: string;
  short: string;
  axis: string;
  period: { group: Measures; rest: Measures; hidden: boolean };
  /** `paGiven` false: the year to date has fewer than 20 school days, so no PA (analytics/pa-span.ts); true when absent. */
  yearToDate: { group: Measures; rest: Measures; hidden: boolean; paGiven?: boolean };
}

const EMPTY_MEASURES: Measures = withRates({
  pupils: 0,
  possible_sessions: 0,
  present_sessions: 0,
  aea_sessions: 0,
  authorised_sessions: 0,
  unauthorised_sessions: 0,
  pa_pupils: 0,
  sa_pupils: 0,
});

/**
 * Each focus group against the rest of the school, for any span. `hidden` when the
 * governors' plan withholds the group's or the rest's row (or, with only `min`, when either
 * is smaller than it).
 */
export async function compareGroups(connection: Connection, span: Span, min: SuppressionMin, plan: SuppressionPlan | null = null) {
  const byDimension = new Map<GroupDimension, GroupMeasures[]>();
  const result: Array<{ key: string; restKey: string; label: string; short: string; axis: string; group: Measures; rest: Measures; hidden: boolean }> = [];
  for (const focus of FOCUS_GROUPS) {
    // Every focus group's dimension from one read of the span (summariseByEach).
    if (!byDimension.has(focus.by)) byDimension.set(focus.by, (await summariseByEach(connection, span)).get(focus.by as PupilDimension) ?? []);
    const rows = byDimension.get(focus.by)!;
    const group = rows.find((r) => r.group === focus.value) ?? { ...EMPTY_MEASURES, group: focus.value };
    const rest = complementOf(rows, focus.value);
    const key = groupKey.group(focus.by as PupilDimension, focus.value);
    const restKey = groupKey.rest(focus.by as PupilDimension, focus.value);
    // The rest of the school is the whole school minus the group: publishing it next to the
    // whole-school figure would reveal a suppressed group, so both go together.
    const hidden = plan ? plan.rowHidden(key) || plan.rowHidden(restKey) : min !== null && (group.pupils < min || rest.pupils < min);
    result.push({ key, restKey, label: focus.label, short: focus.short, axis: focus.axis, group, rest, hidden });
  }
  return result;
}

export async function groupComparisons(connection: Connection, periods: PackPeriods, min: SuppressionMin, plans: PackSuppression | null = null): Promise<GroupComparison[]> {
  const inPeriod = await compareGroups(connection, periods.period, min, plans?.period ?? null);
  const toDate = await compareGroups(connection, periods.yearToDate, min, plans?.yearToDate ?? null);
  const paGiven = (await persistentAbsenceSpan(connection, periods.yearToDate)).given;
  return inPeriod.map((p, i) => ({
    key: p.key,
    restKey: p.restKey,
    label: p.label,
    short: p.short,
    axis: p.axis,
    period: { group: p.group, rest: p.rest, hidden: p.hidden },
    yearToDate: { group: toDate[i].group, rest: toDate[i].rest, hidden: toDate[i].hidden, paGiven },
  }));
}

export function groupsSection(comparisons: GroupComparison[], periods: PackPeriods, settings: Settings, min: SuppressionMin, plans: PackSuppression | null = null): PackSection {
  const ytdPlan = plans?.yearToDate ?? null;
  const rows: Cell[][] = comparisons.map((c) => {
    const p = c.period;
    const y = c.yearToDate;
    // The plan's words: "fewer than 5 pupils" only when the group (or its rest) is that small.
    const reasonOf = (plan: SuppressionPlan | undefined) => plan && (plan.rowHidden(c.key) ? plan.text(c.key, "pupils") : plan.rowHidden(c.restKey) ? plan.text(c.restKey, "pupils") : null);
    const periodText = reasonOf(plans?.period);
    const ytdText = reasonOf(plans?.yearToDate);
    const suppressed = (which: "period" | "ytd"): Cell => ({ kind: "suppressed", text: (which === "period" ? periodText : ytdText) ?? WITHHELD_TEXT });
    const periodCells: Cell[] = p.hidden
      ? [suppressed("period"), suppressed("period"), suppressed("period")]
      : [rate(p.group.attendance_pct), rate(p.rest.attendance_pct), diff(gap(p.group.attendance_pct, p.rest.attendance_pct))];
    const ytdCells: Cell[] = y.hidden
      ? Array<Cell>(6).fill(suppressed("ytd"))
      : [
          num(y.group.pupils),
          rate(y.group.attendance_pct),
          rate(y.rest.attendance_pct),
          diff(gap(y.group.attendance_pct, y.rest.attendance_pct)),
          y.paGiven === false ? text(PA_NOT_GIVEN_TEXT) : ytdPlan ? plannedRate(ytdPlan, c.key, "pa_pupils", y.group.pa_pct) : pupilRateCell(y.group.pa_pupils, y.group.pa_pct, min),
          y.paGiven === false ? text(PA_NOT_GIVEN_TEXT) : ytdPlan ? plannedRate(ytdPlan, c.restKey, "pa_pupils", y.rest.pa_pct) : pupilRateCell(y.rest.pa_pupils, y.rest.pa_pct, min),
        ];
    return [text(c.label), ...ytdCells.slice(0, 1), ...periodCells, ...ytdCells.slice(1)];
  });
  const shown = comparisons.filter((c) => !c.yearToDate.hidden && c.yearToDate.group.pupils > 0);
  const chart: ChartSpec = {
    type: "bar",
    title: "Year-to-date attendance of each group and the rest of the school",
    yLabel: "Attendance (%)",
    categories: shown.map((c) => c.axis),
    series: [
      { name: "Group", values: shown.map((c) => c.yearToDate.group.attendance_pct) },
      { name: "Rest of the school", values: shown.map((c) => c.yearToDate.rest.attendance_pct) },
    ],
    target: { value: settings.target_attendance_pct, label: `Target ${formatThreshold(settings.target_attendance_pct, 1)}` },
  };
  return {
    id: "groups",
    title: "Pupil groups",
    sheet: "Groups",
    intro:
      "Each group is compared with the rest of the school (every pupil not in it). A negative gap means the group attends less. Characteristics are those in force at the end of each period." +
      (min !== null ? ` Figures for groups of fewer than ${min} pupils are withheld, together with their comparison, so no pupil can be identified.` : ""),
    blocks: [
      { kind: "chart", chart },
      {
        kind: "table",
        table: {
          caption: "Groups against the rest of the school",
          columns: [
            { label: "Group" },
            { label: "Pupils", numeric: true },
            { label: `${periods.noun}`, numeric: true },
            { label: "Rest of school", numeric: true },
            { label: "Gap", numeric: true },
            { label: "Year to date", numeric: true },
            { label: "Rest of school", numeric: true },
            { label: "Gap", numeric: true },
            { label: "PA % (group)", numeric: true },
            { label: "PA % (rest)", numeric: true },
          ],
          rows,
        },
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------
// Patterns: weekdays and codes

export async function weekdayMeasures(connection: Connection, span: Span): Promise<SessionGroupMeasures[]> {
  return summariseSessionsBy(connection, span, "weekday");
}

/**
 * The days of the week: a chart of attendance and a table. `min`: in the governors' pack, the
 * small-group minimum, and a weekday's absence is given in all, not its unauthorised part
 * (analytics/governor-view.ts splitGivenBy); null in the staff's.
 */
export function weekdayBlocks(
  period: SessionGroupMeasures[],
  yearToDate: SessionGroupMeasures[],
  periods: PackPeriods,
  settings: Settings,
  min: number | null = null,
  /** Why the weekdays are withheld from governors (governorSlices), when they are: said where the table would be. */
  withheld: string | null = null,
): Block[] {
  const days = yearToDate.map((d) => d.group);
  const splitGiven = splitGivenBy(min, "weekday");
  const absenceOf = (d: string) => {
    const row = find(yearToDate, d);
    return row ? (splitGiven ? row.unauthorised_pct : row.absence_pct) : null;
  };
  const find = (rows: SessionGroupMeasures[], g: string) => rows.find((r) => r.group === g);
  // Withheld (or no school days): the table says why where its rows would be; an empty chart
  // above it read "No figures to chart for this period" (the governors' pack, autumn 2026).
  const chart: Block[] = days.length === 0 ? [] : [
    {
      kind: "chart",
      chart: {
        type: "bar",
        title: "Attendance by day of the week",
        yLabel: "Attendance (%)",
        categories: days,
        series: periodAndYearSeries(
          periods.label,
          days.map((d) => find(period, d)?.attendance_pct ?? null),
          days.map((d) => find(yearToDate, d)?.attendance_pct ?? null),
        ),
        target: { value: settings.target_attendance_pct, label: `Target ${formatThreshold(settings.target_attendance_pct, 1)}` },
      },
    },
  ];
  return [
    ...chart,
    {
      kind: "table",
      table: {
        caption: "Days of the week",
        columns: [
          { label: "Day" },
          { label: periods.noun, numeric: true },
          { label: "Year to date", numeric: true },
          { label: splitGiven ? "Unauthorised absence, year to date" : "Absence, year to date", numeric: true },
        ],
        rows: days.map((d) => [text(d), rate(find(period, d)?.attendance_pct ?? null), rate(find(yearToDate, d)?.attendance_pct ?? null), rate(absenceOf(d))]),
        // Withheld is not "no school days" (a trial read that over 38 school days).
        empty: withheld && min !== null
          ? slicesWithheldWords(min, "Attendance by day of the week", "weekdays")
          : "No school days in this period.",
      },
    },
  ];
}

import { codeFamilyOf } from "../code-families.ts";
import { governorReasons } from "../governor-reasons.ts";
export { CODE_FAMILIES, codeFamilyOf } from "../code-families.ts";

export function absenceCodeRows(codes: CodeSessions[], mode: "codes" | "families"): Array<{ label: string; category: string; sessions: number }> {
  const absences = codes.filter((c) => c.category === "authorised" || c.category === "unauthorised");
  if (mode === "codes") return absences.map((c) => ({ label: `${c.code} — ${c.meaning}`, category: c.category, sessions: c.sessions }));
  const families = new Map<string, { label: string; category: string; sessions: number }>();
  for (const c of absences) {
    const label = codeFamilyOf(c.code, c.category);
    const entry = families.get(label) ?? { label, category: c.category, sessions: 0 };
    entry.sessions += c.sessions;
    families.set(label, entry);
  }
  return [...families.values()].sort((a, b) => b.sessions - a.sessions);
}

/**
 * The absence-by-code table of a pack: every code (SLT), or for governors (`min` given) the
 * whole school's reasons as analytics/governor-reasons.ts gives them — a reason had by 1 to
 * min − 1 pupils withheld, with those that would give it away — over the period and the year
 * to date. Shares are of all absence (authorised and unauthorised sessions, which governors
 * read elsewhere), so a withheld reason's share is withheld with it.
 */
export async function codeBlocks(connection: Connection, periods: PackPeriods, mode: "codes" | "families", min: number | null = null): Promise<Block[]> {
  // Both spans' codes in one read where they share their half terms (a governors' term and its year to date).
  const [periodCodes, ytdCodes] = await sessionsByCodeEach(connection, [periods.period, periods.yearToDate]);
  const over = async (span: Span, codes: CodeSessions[]) => {
    const all = absenceCodeRows(codes, mode);
    const total = all.reduce((t, r) => t + r.sessions, 0);
    if (mode === "codes" || min === null) return { rows: all.map((r) => ({ ...r, sessions: r.sessions as number | null })), total };
    const reasons = (await governorReasons(connection, span, min)).get("") ?? [];
    return { rows: reasons.map((r) => ({ label: r.label, category: r.category as string, sessions: r.sessions })), total };
  };
  const { rows: period, total: periodTotal } = await over(periods.period, periodCodes);
  const { rows: ytd, total: ytdTotal } = await over(periods.yearToDate, ytdCodes);
  const labels = [...new Set([...ytd.map((r) => r.label), ...period.map((r) => r.label)])];
  const share = (n: number, total: number) => (total > 0 ? (100 * n) / total : null);
  const figures = (row: { sessions: number | null } | undefined, total: number): Cell[] =>
    row && row.sessions === null ? [{ kind: "suppressed", text: WITHHELD_TEXT }, { kind: "suppressed", text: WITHHELD_TEXT }] : [num(row?.sessions ?? 0), rate(share(row?.sessions ?? 0, total))];
  const rows: Cell[][] = labels.map((label) => {
    const p = period.find((r) => r.label === label);
    const y = ytd.find((r) => r.label === label);
    const category = (y ?? p)!.category;
    return [
      text(label),
      { kind: "tag", text: category === "authorised" ? "Authorised" : "Unauthorised", tone: category === "authorised" ? "neutral" : "warn" },
      ...figures(p, periodTotal),
      ...figures(y, ytdTotal),
    ];
  });
  return [
    {
      kind: "table",
      table: {
        caption: mode === "codes" ? "Absence by code" : "Absence by reason",
        columns: [
          { label: mode === "codes" ? "Code" : "Reason" },
          { label: "Type" },
          { label: `${periods.noun}: sessions`, numeric: true },
          { label: "Share of absence", numeric: true },
          { label: "Year to date: sessions", numeric: true },
          { label: "Share of absence", numeric: true },
        ],
        rows,
        empty: "No absence recorded in this period.",
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------
// Appendix A: weekly, termly and annual attendance to date

interface ToDateGroup {
  /** The suppression plan's key. */
  key: string;
  label: string;
  filter: PupilFilter;
}

async function toDateGroups(connection: Connection, yearToDate: Span): Promise<ToDateGroup[]> {
  const breakdowns = await summariseByEach(connection, yearToDate);
  const years = breakdowns.get("year_group") ?? [];
  const classes = breakdowns.get("reg_group") ?? [];
  return [
    { key: groupKey.school, label: "Whole school", filter: {} },
    // No tab for the leavers of the year so far (analytics/leavers.ts): the tabs give
    // attendance, and the leavers have no sessions of their own (each half term's are in that
    // half term's year group and class); the whole school's tab counts them.
    ...years.filter((y) => !isLeaversGroup(y.group)).map((y) => ({ key: groupKey.year(y.group), label: yearGroupLabel(y.group), filter: { year_group: y.group } })),
    ...classes.filter((c) => !isLeaversGroup(c.group)).map((c) => ({ key: groupKey.class(c.group), label: classLabel(c.group), filter: { reg_group: c.group } })),
  ];
}

/**
 * The spreadsheet the policy's Appendix A asks for: weekly, termly and annual attendance to
 * date for the whole school, each year group and each class (one tab each).
 */
export async function toDateTabs(connection: Connection, periods: PackPeriods, plans: PackSuppression | null): Promise<Array<{ sheet: string; table: PackTable }>> {
  const groups = await toDateGroups(connection, periods.yearToDate);
  const plan = plans?.yearToDate ?? null;
  const min = plan ? plan.min : null;
  const suppressedCell = (): Cell => ({ kind: "suppressed", text: WITHHELD_TEXT });
  // Every year group's and class's figures in one grouped query (summariseWithinEach), not
  // one query per group: the same figures as a filter on each (test/packs-grouped.test.ts).
  const seriesOf = async (by?: "week" | "term"): Promise<GroupMeasures[][]> => {
    // The groups first: under half-term membership they read the span's finest groups by `by`,
    // which the whole school's row then sums (summariseBy reads them only when at hand).
    const within = await summariseWithinEach(connection, periods.yearToDate, ["year_group", "reg_group"], by);
    const whole = by ? await summariseBy(connection, periods.yearToDate, by) : [{ group: "", ...(await summarise(connection, periods.yearToDate)) }];
    const years = within.get("year_group")!;
    const classes = within.get("reg_group")!;
    return groups.map((group) => {
      if (group.filter.year_group !== undefined) return years.get(group.filter.year_group) ?? [];
      if (group.filter.reg_group !== undefined) return classes.get(group.filter.reg_group) ?? [];
      return whole;
    });
  };
  const over = async (by: "week" | "term", sheet: string, caption: string, firstColumn: string, label: (g: string) => Cell) => {
    const series = await seriesOf(by);
    const slices = [...new Set(series.flatMap((rows) => rows.map((r) => r.group)))].sort();
    // The decisions the pages' breakdowns read (Trends by week or term with a year group or
    // class chosen): weeks as slices of the year to date, decided once per half term for every
    // breakdown (governorSlices); terms as periods of their own (governorPeriodsWithheld). The
    // same decision in the tab as on screen.
    const withheldIn = plan
      ? await Promise.all(
          groups.map(async (group) => {
            const query = { ...periods.yearToDate, filter: group.filter };
            if (by === "term") {
              const terms = await governorPeriodsWithheld(connection, query, "term", plan.min);
              return (slice: string) => terms.get(slice)?.row ?? null;
            }
            const weeks = await governorSlices(connection, query, plan.min);
            return (slice: string) => weeks.withheld(sliceDates("week", slice).from, sliceDates("week", slice).to);
          }),
        )
      : null;
    // Why each withheld cell is withheld (the fresh-clone trial's weekly tab was 8 weeks of
    // "withheld" whose reason was only on the Trends tab): a week of a half term with a day of
    // 1 to min − 1 pupils absent (by === "week"), or the small-group rule.
    const why = new Set<"slices" | "rule">();
    const rows: Cell[][] = slices.map((slice) => [
      label(slice),
      ...series.map((rows, i) => {
        const row = rows.find((r) => r.group === slice);
        // A group withheld for the year is withheld in every week and term too: the autumn
        // term's figure is the year to date's.
        if (plan && plan.rowHidden(groups[i].key)) return why.add("rule"), { kind: "suppressed", text: plan.text(groups[i].key, "pupils") } as Cell;
        if (!row) return rate(null);
        const inPeriod = withheldIn?.[i](slice);
        if (inPeriod) return why.add(by === "week" ? "slices" : "rule"), { kind: "suppressed", text: inPeriod } as Cell;
        return min !== null && row.pupils < min ? (why.add("rule"), suppressedCell()) : rate(row.attendance_pct);
      }),
    ]);
    const everyCellBySlices = !why.has("rule") && rows.every((row) => row.slice(1).every((c) => c.kind === "suppressed"));
    // Said under the tab by the pack (withheld-notes.ts), the small-group rule by default.
    const withheldWhy =
      min !== null && why.has("slices")
        ? [slicesWithheldWords(min, everyCellBySlices ? "Attendance week by week" : 'Attendance in a week that reads "withheld"', "weeks"), ...(why.has("rule") ? [withheldRuleSentence(min)] : [])].join(" ")
        : undefined;
    return {
      sheet,
      table: {
        caption,
        columns: [{ label: firstColumn }, ...groups.map((g) => ({ label: g.label, numeric: true }))],
        rows,
        empty: "No school days yet this academic year.",
        note: "Attendance % of possible sessions. Pupils are in the year group and class they were in at the end of the period.",
        ...(withheldWhy ? { withheldWhy } : {}),
      },
    };
  };
  const weekly = await over("week", "Weekly attendance to date", "Weekly attendance to date", "Week beginning", (g) => ({ kind: "date", value: g }));
  const termly = await over("term", "Termly attendance to date", "Termly attendance to date", "Term", (g) => text(formatTermKey(g)));
  const annualRows: Cell[][] = [];
  const annualSeries = await seriesOf();
  const none: Measures = withRates({ pupils: 0, possible_sessions: 0, present_sessions: 0, aea_sessions: 0, authorised_sessions: 0, unauthorised_sessions: 0, pa_pupils: 0, sa_pupils: 0 });
  for (const [i, group] of groups.entries()) {
    const m: Measures = annualSeries[i][0] ?? none;
    if (plan && plan.rowHidden(group.key)) {
      annualRows.push([text(group.label), ...Array(9).fill({ kind: "suppressed", text: plan.text(group.key, "pupils") } as Cell)]);
      continue;
    }
    annualRows.push([
      text(group.label),
      num(m.pupils),
      num(m.possible_sessions),
      num(m.present_sessions + m.aea_sessions),
      rate(m.attendance_pct),
      rate(m.authorised_pct),
      rate(m.unauthorised_pct),
      plannedCount(plan, group.key, "pa_pupils", m.pa_pupils),
      plannedRate(plan, group.key, "pa_pupils", m.pa_pct),
      plannedCount(plan, group.key, "sa_pupils", m.sa_pupils),
    ]);
  }
  const annual = {
    sheet: "Annual attendance to date",
    table: {
      caption: `Annual attendance to date (${ukDate(periods.yearToDate.from)} to ${ukDate(periods.yearToDate.to)})`,
      columns: [
        { label: "Group" },
        { label: "Pupils", numeric: true },
        { label: "Possible sessions", numeric: true },
        { label: "Sessions attended", numeric: true },
        { label: "Attendance %", numeric: true },
        { label: "Authorised absence %", numeric: true },
        { label: "Unauthorised absence %", numeric: true },
        { label: "PA pupils", numeric: true },
        { label: "PA %", numeric: true },
        { label: "SA pupils", numeric: true },
      ],
      rows: annualRows,
    },
  };
  return [weekly, termly, annual];
}
