/**
 * Reads national.csv (data/benchmarks): one published national figure a row, each with its
 * page and a verbatim excerpt. Rows are taken as they are; a row that does not fit the
 * store's closed lists is refused with its line and column, as any import would be.
 */
import { InputError, fieldOf, mapColumns, parseCsv, type ColumnSpec } from "../csv.ts";
import { periodEndFromExcerpt, releaseFromUrl } from "./sources.ts";
import {
  BENCHMARK_MEASURES,
  BENCHMARK_PERIODS,
  BENCHMARK_PHASES,
  GROUP_TYPES,
  type BenchmarkMeasure,
  type BenchmarkPeriod,
  type BenchmarkPhase,
  type FigureInput,
  type GroupType,
} from "./store.ts";

const COLUMNS: ColumnSpec[] = [
  "publication",
  "academic_year",
  "period",
  "phase",
  "group_type",
  "group",
  "measure",
  "value",
  "source_url",
  "excerpt",
].map((name) => ({ name, aliases: [], required: true }));

export function parseNationalCsv(text: string, file: string): FigureInput[] {
  const table = mapColumns(parseCsv(text, file), COLUMNS, file);
  return table.rows.map((row) => {
    const get = (name: string) => fieldOf(table, row, name)!;
    const oneOf = <T extends string>(name: string, allowed: readonly string[]): T => {
      const field = get(name);
      if (!allowed.includes(field.value)) {
        throw new InputError(file, field.line, field.column, `${name} "${field.value}" is not one of ${allowed.join(", ")}`);
      }
      return field.value as T;
    };
    const year = get("academic_year");
    if (!/^\d{4}\/\d{2}$/.test(year.value)) throw new InputError(file, year.line, year.column, `academic_year "${year.value}" is not like 2024/25`);
    const valueField = get("value");
    const value = Number(valueField.value);
    if (valueField.value.trim() === "" || !Number.isFinite(value) || value < 0 || value > 100) {
      throw new InputError(file, valueField.line, valueField.column, `value "${valueField.value}" is not a percentage`);
    }
    const url = get("source_url").value;
    const excerpt = get("excerpt").value;
    return {
      publication: get("publication").value,
      academic_year: year.value,
      period: oneOf<BenchmarkPeriod>("period", BENCHMARK_PERIODS),
      period_end: periodEndFromExcerpt(excerpt),
      phase: oneOf<BenchmarkPhase>("phase", BENCHMARK_PHASES),
      geographic_level: "national",
      area_code: "E92000001",
      area_name: "England",
      region_code: null,
      group_type: oneOf<GroupType>("group_type", GROUP_TYPES),
      group_name: get("group").value,
      measure: oneOf<BenchmarkMeasure>("measure", BENCHMARK_MEASURES),
      value,
      value_text: valueField.value,
      release: releaseFromUrl(url),
      source_url: url,
      excerpt,
      source_file: file,
      source_line: row.line,
    } satisfies FigureInput;
  });
}
