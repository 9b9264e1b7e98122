/**
 * National figures for a page's reporting period (Overview, Groups): which published period
 * matches the school's, and the figures for the whole school or one pupil group.
 * A week, a month, a half term or a custom range has no published national equivalent:
 * then every figure is null and `note` says why.
 */
import { PA_NOT_GIVEN_TEXT, persistentAbsenceSpan } from "../pa-span.ts";
import type { Connection } from "../db.ts";
import { cachedOne } from "../db.ts";
import { findBenchmarkSet } from "./compare.ts";
import { governorQuery, POPULATION_WORDS, summarise, summariseBy, wholeRollWords, type MeasureQuery, type PupilFilter } from "../measures.ts";
import { toNationalFigure, type NationalFigure, type SchoolSpan } from "./comparison.ts";
import { SCHOOL_GROUPS } from "./report.ts";
import { REPORT_KEYS, reportPeriodSuppression } from "./report-suppression.ts";
import { isSmallCount, WITHHELD_TEXT, type SuppressionPlan } from "../suppression.ts";
import { governorSpan, governorWithheldBy } from "../governor-view.ts";
import { WITHIN_UNIT_TEXT, yearDfePartWithheld } from "../governor-lattice.ts";
import { COMPARED_DIMENSIONS } from "../groups.ts";
import type { BenchmarkMeasure, BenchmarkPeriod, GroupType } from "./store.ts";

/** The DfE's group for one of the school's (dimension, value) pairs, or undefined (LAC, ethnicity…). */
export function benchmarkGroupOf(dimension: string, value: string): { groupType: GroupType; group: string } | undefined {
  const found = SCHOOL_GROUPS.find((spec) => spec.dimension === dimension && spec.value === value);
  return found ? { groupType: found.groupType, group: found.group } : undefined;
}

export interface PagePeriod {
  /** The period picker's name: ytd, academic-year, term … */
  name: string;
  from: string;
  to: string;
  academicYear: string;
}

export interface NationalFigures {
  overall_absence_pct: NationalFigure | null;
  persistent_absence_pct: NationalFigure | null;
  /**
   * The school's figures on the DfE's population (pupils aged 5–15 on 31 August: see
   * dfePopulation in analytics/measures.ts) — the only figures compared with published ones.
   */
  school: {
    absence_pct: number | null;
    pa_pct: number | null;
    /** Null only when withheld from a governor (see `withheld`). */
    pupils: number | null;
    pa_pupils: number | null;
    population: string;
    /** The school's whole roll in words (analytics/measures.ts wholeRollWords), for the note beside the comparison. */
    whole_roll: string;
    /** A governor's view: the words printed in place of a withheld figure, else null. */
    withheld: { absence: string | null; pa: string | null };
  };
  /** Why there are no figures for this period, or null. */
  note: string | null;
  /**
   * The school's period as compared (comparison.ts likeForLike): a verdict only where the
   * published figure covers the same span; null when no published period answers to it.
   */
  span: SchoolSpan | null;
}

/** The published period that matches a page's period, or null when none does. */
export async function benchmarkPeriodOf(
  connection: Connection,
  period: PagePeriod,
): Promise<{ kind: BenchmarkPeriod; yearComplete: boolean; termComplete?: boolean } | null> {
  if (period.name === "ytd" || period.name === "academic-year") {
    const last = await cachedOne<{ last: string | null }>(
      connection,
      `SELECT strftime(max(date), '%Y-%m-%d') AS last FROM school_days WHERE academic_year = $year`,
      { year: period.academicYear },
    );
    return { kind: "year-to-date", yearComplete: Boolean(last?.last && period.to >= last.last) };
  }
  if (period.name === "term") {
    const term = await cachedOne<{ term: string | null }>(connection, `SELECT term FROM school_days WHERE date <= $to::DATE ORDER BY date DESC LIMIT 1`, { to: period.to });
    const kind = term?.term?.split("-")[0];
    // Whether the term is over by the period's end: a term still running is not the DfE's whole term.
    const last = term?.term
      ? await cachedOne<{ last: string | null }>(connection, `SELECT strftime(max(date), '%Y-%m-%d') AS last FROM school_days WHERE term = $term`, { term: term.term })
      : null;
    if (kind === "autumn" || kind === "spring" || kind === "summer") return { kind, yearComplete: false, termComplete: Boolean(last?.last && period.to >= last.last) };
  }
  return null;
}

/**
 * For a group within a year group or class on the DfE's basis (a governor's Groups page):
 * WITHHELD_TEXT when the same group (the filter but its year group and class) is withheld on
 * that basis within any other unit of the kind (every year group, or every class), else
 * null. Why (issue 13, cases 8–9): the group's cells within each unit add up to the group's
 * figure across the school, which the Groups page gives with no year group chosen; a cell
 * withheld alone in that column was the school's less the others' (Reception's two FSM
 * five-year-olds, by test/governor-dfe-units.test.ts). So in each column every unit's cell is
 * given or none is. A unit's cell is withheld as nationalFiguresFor withholds the one asked
 * for: by the governors' plan of its row, or when its pupils aged 5–15, or its other pupils,
 * number 1 … min − 1. Null for a filter with no year group or class.
 */
async function withheldInAnotherUnit(
  connection: Connection,
  period: PagePeriod,
  filter: PupilFilter,
  min: number,
  asRead: (q: MeasureQuery) => MeasureQuery,
): Promise<string | null> {
  const unit = filter.reg_group ? "reg_group" : filter.year_group ? "year_group" : null;
  if (!unit) return null;
  const { year_group: _year, reg_group: _class, ...column } = filter;
  const span = { from: period.from, to: period.to };
  const dfe = new Map((await summariseBy(connection, asRead({ ...span, filter: column, population: "dfe" }), unit)).map((g) => [g.group, g.pupils]));
  for (const cell of await summariseBy(connection, asRead({ ...span, filter: column }), unit)) {
    const aged = dfe.get(cell.group) ?? 0;
    if (isSmallCount(aged, min) || isSmallCount(cell.pupils - aged, min)) return WITHHELD_TEXT;
    const other = (await governorWithheldBy(connection, { ...span, filter: { ...column, [unit]: cell.group } }, null, min)).get("");
    if (other?.row || other?.absence) return WITHHELD_TEXT;
  }
  return null;
}

/**
 * The school's DfE-basis figures as a span's plan leaves the cell `key` (a report key:
 * REPORT_KEYS.dfe, "fsm:1"): its row withheld, or its absence rate (over a short span, beside
 * a withheld count of pupils absent at least once: attended sessions hidden with the row
 * shown), or its persistent absence. Changes `school`.
 */
function withholdAsPlanned(school: NationalFigures["school"], plan: SuppressionPlan, key: string): void {
  if (plan.rowHidden(key)) {
    const text = plan.text(key, "pupils");
    Object.assign(school, { absence_pct: null, pa_pct: null, pupils: null, pa_pupils: null, withheld: { absence: text, pa: text } });
    return;
  }
  const absence = plan.hidden(key, "attended_sessions") ? plan.text(key, "attended_sessions") : null;
  const pa = plan.hidden(key, "pa_pupils") ? plan.text(key, "pa_pupils") : null;
  if (absence) school.absence_pct = null;
  if (pa) Object.assign(school, { pa_pct: null, pa_pupils: null });
  school.withheld = { absence, pa };
}

/**
 * The published figures for a page's period (overall and persistent absence, one release
 * for both) and the school's own figures on the same population as the DfE's. `schoolFilter`
 * restricts the school's pupils (the group compared, e.g. { fsm: "Y" }). With
 * `withholdSmallCounts` (a governor's whole-school view), the school's DfE-basis figures are
 * withheld where the report's suppression plan withholds them (report-suppression.ts); for
 * one group, withheld when the group's aged-5–15 pupils, their persistently absent pupils or the
 * group's pupils outside the DfE's population number 1 … min − 1.
 */
export async function nationalFiguresFor(
  connection: Connection,
  period: PagePeriod,
  group: { groupType: GroupType; group: string } = { groupType: "all", group: "all" },
  schoolFilter: PupilFilter = {},
  options: { withholdSmallCounts?: { min: number } } = {},
): Promise<NationalFigures> {
  // A governor's figures: half-term membership, as every figure a governor reads (governorQuery).
  const asRead = (q: MeasureQuery) => (options.withholdSmallCounts ? governorQuery(q) : q);
  const measures = await summarise(connection, asRead({ from: period.from, to: period.to, filter: schoolFilter, population: "dfe" }));
  const wholeRoll = await summarise(connection, asRead({ from: period.from, to: period.to, filter: schoolFilter }));
  const school: NationalFigures["school"] = {
    absence_pct: measures.absence_pct,
    pa_pct: measures.pa_pct,
    pupils: measures.pupils,
    pa_pupils: measures.pa_pupils,
    population: POPULATION_WORDS.dfe,
    whole_roll: wholeRollWords(wholeRoll.pupils - measures.pupils),
    withheld: { absence: null, pa: null },
  };
  // A governor's whole-school view: the DfE-basis figures are withheld exactly as on Benchmarks
  // (the same plan: whole roll less the DfE population is Reception's and nursery's figures).
  if (options.withholdSmallCounts && group.groupType === "all" && Object.values(schoolFilter).every((v) => !v)) {
    const plan = await reportPeriodSuppression(connection, period, { groups: false, min: options.withholdSmallCounts.min });
    withholdAsPlanned(school, plan, REPORT_KEYS.dfe);
  } else if (options.withholdSmallCounts && SCHOOL_GROUPS.some((spec) => Object.entries(schoolFilter).filter(([, v]) => v).length === 1 && schoolFilter[spec.dimension] === spec.value)) {
    // A governor's view of one group the report compares (the Groups page): the group's rates
    // on the DfE's population, read from the span's one plan (the report's and the pack's),
    // which also protects the group's Reception and nursery pupils (its whole-roll figures,
    // printed beside these, less them).
    const spec = SCHOOL_GROUPS.find((s) => schoolFilter[s.dimension] === s.value)!;
    const plan = await reportPeriodSuppression(connection, period, { groups: true, min: options.withholdSmallCounts.min });
    withholdAsPlanned(school, plan, `${spec.dimension}:${spec.value}`);
  } else if (options.withholdSmallCounts) {
    // Any other filter (a group within a year group or class, as Groups shows it): the
    // group's persistent absence is never given within a year group or class (the governors'
    // plan: analytics/governor-lattice.ts isUnpublished; its rate times the pupils is the
    // count), so not on the DfE's basis either (issue 13, case 9). Its absence is withheld
    // where the plan withholds the group's row (the same cell on Groups), or when the group's
    // aged-5–15 pupils, or the rest of the group (its Reception and nursery pupils, whose
    // absence the two rates together describe), number 1 … min − 1; and when the same group is
    // withheld so within another year group or class (withheldInAnotherUnit).
    const { min } = options.withholdSmallCounts;
    const outside = wholeRoll.pupils - measures.pupils;
    // The group's row, or over a short span its absence (Withheld.absence: beside a withheld
    // count of pupils absent at least once, or to protect one).
    const own = (await governorWithheldBy(connection, { from: period.from, to: period.to, filter: schoolFilter }, null, min)).get("");
    const row = own?.row ?? own?.absence ?? null;
    const small = isSmallCount(measures.pupils, min) || isSmallCount(outside, min) ? WITHHELD_TEXT : null;
    // Within a year group with pupils in both populations (Reception with a child aged 5), the
    // group's DfE-basis cell is a cell of the span's plan (the school's DfE-basis figure less
    // the year groups wholly in it: test/governor-break-units.test.ts).
    const characteristic = COMPARED_DIMENSIONS.filter((d) => schoolFilter[d]);
    const plan = schoolFilter.year_group && !schoolFilter.reg_group && characteristic.length === 1 ? await governorSpan(connection, { from: period.from, to: period.to }, min) : null;
    const part = plan && yearDfePartWithheld(plan, schoolFilter.year_group!, characteristic[0], schoolFilter[characteristic[0]]!) ? WITHHELD_TEXT : null;
    const absence = row ?? small ?? part ?? (await withheldInAnotherUnit(connection, period, schoolFilter, min, asRead));
    const withinUnit = Boolean(schoolFilter.year_group || schoolFilter.reg_group);
    const pa = absence ?? (withinUnit ? WITHIN_UNIT_TEXT : isSmallCount(measures.pa_pupils, min) ? WITHHELD_TEXT : null);
    if (pa) Object.assign(school, { pa_pct: null, pa_pupils: null });
    if (absence) Object.assign(school, { absence_pct: null, pupils: null });
    school.withheld = { absence, pa };
  }
  // Persistent absence over fewer than 20 school days: not given, whoever reads it (analytics/pa-span.ts).
  if (!(await persistentAbsenceSpan(connection, period)).given) {
    Object.assign(school, { pa_pct: null, pa_pupils: null });
    school.withheld = { ...school.withheld, pa: school.withheld.pa ?? PA_NOT_GIVEN_TEXT };
  }
  const matched = await benchmarkPeriodOf(connection, period);
  if (!matched) {
    return { overall_absence_pct: null, persistent_absence_pct: null, school, note: "National figures are published for terms and years, not for this period", span: null };
  }
  const wanted: BenchmarkMeasure[] = ["overall_absence_pct", "persistent_absence_pct"];
  const found = await findBenchmarkSet(
    connection,
    {
      academicYear: period.academicYear,
      period: matched.kind,
      asOf: period.to,
      yearComplete: matched.yearComplete,
      groupType: group.groupType,
      group: group.group,
      allowEarlierYear: true,
    },
    wanted,
  );
  // The DfE publishes most group figures for single terms, not years to date. Where the year to
  // date has none, the term holding the period's end is looked up as the head's report does
  // (analytics/benchmarks/report.ts, the groups' period): shown for reference, never a verdict
  // (the span below stays the year to date, so the comparison says the periods differ). One
  // answer on both pages (trial 16a: Groups "no published figure" for FSM in 2026/27 beside
  // Benchmarks' 10.3 %).
  if (matched.kind === "year-to-date" && group.groupType !== "all" && wanted.every((m) => !found.get(m))) {
    const term = await cachedOne<{ term: string | null }>(connection, `SELECT term FROM school_days WHERE date <= $to::DATE ORDER BY date DESC LIMIT 1`, { to: period.to });
    const kind = term?.term?.split("-")[0];
    if (kind === "autumn" || kind === "spring" || kind === "summer") {
      const byTerm = await findBenchmarkSet(
        connection,
        { academicYear: period.academicYear, period: kind, asOf: period.to, groupType: group.groupType, group: group.group, allowEarlierYear: true },
        wanted,
      );
      for (const measure of wanted) found.set(measure, byTerm.get(measure) ?? null);
    }
  }
  const figure = (measure: BenchmarkMeasure) => {
    const benchmark = found.get(measure);
    return benchmark ? toNationalFigure(benchmark) : null;
  };
  const span: SchoolSpan = {
    academicYear: period.academicYear,
    kind: matched.kind,
    to: period.to,
    complete: matched.kind === "year-to-date" ? matched.yearComplete : Boolean(matched.termComplete),
  };
  return { overall_absence_pct: figure("overall_absence_pct"), persistent_absence_pct: figure("persistent_absence_pct"), school, note: null, span };
}
