/**
 * National figures for a page's reporting period (Overview, Groups): which published period
 * matches the school's, and the figures for the whole school or one pupil group.
 * A week, a month, a half term or a custom range has no published national equivalent:
 * then every figure is null and `note` says why.
 */
import type { Connection } from "../db.ts";
import { queryOne } from "../db.ts";
import { findBenchmark } from "./compare.ts";
import { toNationalFigure, type NationalFigure } from "./comparison.ts";
import { SCHOOL_GROUPS } from "./report.ts";
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
  /** Why there are no figures for this period, or null. */
  note: string | null;
}

/** The published period that matches a page's period, or null when none does. */
export async function benchmarkPeriodOf(
  connection: Connection,
  period: PagePeriod,
): Promise<{ kind: BenchmarkPeriod; yearComplete: boolean } | null> {
  if (period.name === "ytd" || period.name === "academic-year") {
    const last = await queryOne<{ last: string | null }>(
      connection,
      `SELECT strftime(max(date), '%Y-%m-%d') AS last FROM school_days WHERE academic_year = $year`,
      { year: period.academicYear },
    );
    return { kind: "year-to-date", yearComplete: Boolean(last?.last && period.to >= last.last) };
  }
  if (period.name === "term") {
    const term = await queryOne<{ term: string | null }>(connection, `SELECT term FROM school_days WHERE date <= $to::DATE ORDER BY date DESC LIMIT 1`, { to: period.to });
    const kind = term?.term?.split("-")[0];
    if (kind === "autumn" || kind === "spring" || kind === "summer") return { kind, yearComplete: false };
  }
  return null;
}

export async function nationalFiguresFor(
  connection: Connection,
  period: PagePeriod,
  group: { groupType: GroupType; group: string } = { groupType: "all", group: "all" },
): Promise<NationalFigures> {
  const matched = await benchmarkPeriodOf(connection, period);
  if (!matched) {
    return { overall_absence_pct: null, persistent_absence_pct: null, note: "National figures are published for terms and years, not for this period" };
  }
  const find = async (measure: BenchmarkMeasure) => {
    const benchmark = await findBenchmark(connection, {
      academicYear: period.academicYear,
      period: matched.kind,
      asOf: period.to,
      yearComplete: matched.yearComplete,
      groupType: group.groupType,
      group: group.group,
      measure,
      allowEarlierYear: true,
    });
    return benchmark ? toNationalFigure(benchmark) : null;
  };
  return { overall_absence_pct: await find("overall_absence_pct"), persistent_absence_pct: await find("persistent_absence_pct"), note: null };
}
