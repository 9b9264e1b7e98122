/**
 * exceljs, loaded on first use rather than when a module naming it is imported: loading it
 * costs about 0.3 s of CPU (a CommonJS package of many files), which every `rollcall` command
 * paid at start-up though only workbook reading and writing need it.
 */
import type ExcelJSModule from "exceljs";

let loaded: Promise<typeof ExcelJSModule> | undefined;

/** The exceljs module (its default export), imported once per process. */
export function excelJS(): Promise<typeof ExcelJSModule> {
  loaded ??= import("exceljs").then((m) => (m as { default?: typeof ExcelJSModule }).default ?? (m as unknown as typeof ExcelJSModule));
  return loaded;
}
