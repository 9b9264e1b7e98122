/**
 * The words a weekly chart says of its last point while that week is not over (app/lib/
 * recent.server.ts weekInProgress), on the Overview and Trends alike. Client-safe.
 */
import { formatDate } from "~/lib/format";
import type { WeekInProgress } from "~/lib/recent.server";

/** The weekly chart's words for its last week while it is not over (recent.server.ts weekInProgress). */
export function weekInProgressWords(week: WeekInProgress): string {
  const due = week.sessionsDue === 0 ? "its first registers are being taken" : `${week.sessionsDue} of its ${week.sessions} registers ${week.sessionsDue === 1 ? "is" : "are"} due so far`;
  return ` The last point, the week beginning ${formatDate(week.monday, "d MMM")}, is this week: ${due}, so it will move as the week goes on.`;
}
