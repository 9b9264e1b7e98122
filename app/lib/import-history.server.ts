/** The import history for loaders (a .server module, so DuckDB stays out of the browser bundle). */
export { importDetail, importHistory, type ImportAmendment, type ImportRecord } from "../../analytics/import/history.ts";
