/**
 * The school days a calendar drill-down names (a date, a week, a month, a half term, a term or
 * an academic year): the one SQL condition on `school_days` for each, shared by the count of a
 * slice's school days (analytics/options.ts sliceSchoolDays) and the pupils on roll in it
 * (analytics/measures.ts markPupilRowsSql), so the list and what the page says of it agree.
 */

/** The condition on school_days for each calendar slice, `$param` its value (a closed list). */
const SLICE_DAYS: Record<string, (param: string) => string> = {
  date: (param) => `date = $${param}::DATE`,
  week: (param) => `date BETWEEN $${param}::DATE AND $${param}::DATE + 6`,
  month: (param) => `strftime(date, '%Y-%m') = $${param}`,
  half_term: (param) => `half_term = $${param}`,
  term: (param) => `term = $${param}`,
  academic_year: (param) => `academic_year = $${param}`,
};

/**
 * The SQL condition on `school_days` (its columns unqualified) choosing the school days of the
 * slice `by`, its value bound as `$param`; null for a slice every period has (weekday, session)
 * or no slice the calendar knows.
 */
export function sliceDaysCondition(by: string, param: string): string | null {
  return Object.hasOwn(SLICE_DAYS, by) ? SLICE_DAYS[by](param) : null;
}
