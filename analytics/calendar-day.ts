/**
 * Whether a year, month and day written as numbers name a day of the calendar, and if not, why
 * in words: the CLI's dates (analytics/cli/args.ts requireDate) and the register files' dates
 * (analytics/import/values.ts notADateWords) say it alike. Date.parse rolls 2026-09-31 over into
 * October, so a month's length is checked here, leap years included.
 */
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/**
 * Undefined when `year`-`month`-`day` is a day of the calendar; else why not: "there is no month
 * 13 (months are 01 to 12)", "September 2026 has 30 days", "there is no day 0 (days are 01 to 30
 * in April 2026)".
 */
export function calendarDayFault(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12) return `there is no month ${month} (months are 01 to 12)`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate(); // day 0 of the next month: this month's last day
  // Day 0 is no day past the month's end: "April 2026 has 30 days" did not say what was wrong with 2026-04-00 (review 52b).
  if (day < 1) return `there is no day ${day} (days are 01 to ${days} in ${MONTHS[month - 1]} ${year})`;
  if (day > days) return `${MONTHS[month - 1]} ${year} has ${days} days`;
  return undefined;
}
