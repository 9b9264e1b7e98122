/**
 * The analytics functions loaders and actions may call. Routes import them from here, a
 * .server module, so the browser bundle never sees DuckDB.
 */
export * from "../../analytics/measures.ts";
export * from "../../analytics/periods.ts";
export * from "../../analytics/settings.ts";
export * from "../../analytics/quality.ts";
export * from "../../analytics/pupil.ts";
