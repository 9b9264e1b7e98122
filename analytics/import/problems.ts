/**
 * Collecting a file's errors so one refusal reports up to MAX_REPORTED_ERRORS of them,
 * each with file:line:column, and a school fixes the file in one pass.
 */
import { ImportRefused, InputError } from "../csv.ts";
import { MAX_REPORTED_ERRORS } from "./limits.ts";

// Defined beside InputError (analytics/csv.ts), so a header's faults are refused together there too (mapHeader).
export { ImportRefused, faultsTogether } from "../csv.ts";

/** Sorts errors by file position (line, then column). */
export function byPosition(a: InputError, b: InputError): number {
  return a.line - b.line || a.column - b.column;
}

/** The errors a file's checks found so far; `refuse()` throws them as one ImportRefused. */
export class Problems {
  private readonly list: InputError[] = [];
  /** The errors kept, by file position and reason: the same fault found twice (both sessions of a week string's day after today, every mark of an unknown pupil's row) is said once. */
  private readonly seen = new Set<string>();
  private rowErrors = 0;
  total = 0;

  /** False when the same error (position and reason) is already kept. */
  private isNew(error: InputError): boolean {
    const key = `${error.file}\u0000${error.line}\u0000${error.column}\u0000${error.reason}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  /**
   * Adds an error found row by row. Rows are checked in file order, so only the first
   * MAX_REPORTED_ERRORS are kept; the rest are counted.
   */
  add(error: InputError | undefined): void {
    if (!error || !this.isNew(error)) return;
    this.total++;
    if (this.rowErrors++ < MAX_REPORTED_ERRORS) this.list.push(error);
  }

  /** Adds errors found in SQL (the earliest MAX_REPORTED_ERRORS of a check), of which `total` exist. */
  addCounted(errors: InputError[], total: number): void {
    const fresh = errors.filter((e) => this.isNew(e));
    this.list.push(...fresh);
    // Repeats among the listed ones are not counted; the unlisted rest cannot be told apart.
    this.total += total - (errors.length - fresh.length);
  }

  get any(): boolean {
    return this.total > 0;
  }

  /** Throws the errors (earliest first, at most MAX_REPORTED_ERRORS), if there are any. */
  refuse(): void {
    if (this.total === 0) return;
    const sorted = [...this.list].sort(byPosition).slice(0, MAX_REPORTED_ERRORS);
    throw new ImportRefused(sorted, this.total);
  }

  /** The checks of one row, each field on its own (RowChecks). */
  row(): RowChecks {
    return new RowChecks(this);
  }
}

/**
 * One row's checks, each field checked on its own so a row with several faults is told all
 * of them (a school corrects the file once, not once per fault: a trial's pupils row with a
 * bad sex, year group, SEN and FSM was refused four times over, one fault each time). The
 * errors go to the file's Problems (so the list stays bounded); `failed` says whether any of
 * this row's checks failed, and a check that needs another field's value runs only when that
 * value was read.
 */
export class RowChecks {
  failed = false;
  constructor(private readonly problems: Problems) {}

  /** Runs one field's check: its value, or undefined when it threw an InputError (kept). */
  value<T>(work: () => T): T | undefined {
    try {
      return work();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.add(error);
      return undefined;
    }
  }

  /** The row's values when every check passed (none is then undefined), else undefined. */
  complete<T extends Record<string, unknown>>(values: T): { [K in keyof T]: Exclude<T[K], undefined> } | undefined {
    if (this.failed) return undefined;
    for (const value of Object.values(values)) if (value === undefined) throw new Error("internal: a row's value is missing though every check passed");
    return values as { [K in keyof T]: Exclude<T[K], undefined> };
  }

  /** Keeps a fault found without a throw. */
  add(error: InputError): void {
    this.failed = true;
    this.problems.add(error);
  }
}
