/** National benchmarks: the store, loading and import, comparisons and the head's report. */
export * from "./store.ts";
export * from "./load.ts";
export * from "./compare.ts";
export { toNationalFigure, type NationalFigure } from "./comparison.ts";
export * from "./labels.ts";
export * from "./report.ts";
export * from "./report-rows.ts";
export * from "./report-files.ts";
export { parseOpenDataCsv, type OpenDataOptions, type OpenDataResult } from "./open-data.ts";
export * from "./for-period.ts";
