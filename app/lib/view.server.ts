/**
 * Turns a request's URL into the view a loader computes: the resolved reporting period, the
 * measure query (period + pupil filters), the same query a year earlier, and the settings.
 * Every dashboard loader starts here so all pages read the URL the same way.
 */
import type { Connection } from "../../analytics/db.ts";
import type { MeasureQuery } from "../../analytics/measures.ts";
import type { ResolvedPeriod } from "../../analytics/periods.ts";
import type { Settings } from "../../analytics/settings.ts";
import {
  currentDate,
  filterOptions as storedFilterOptions,
  getSettings,
  resolvePeriod,
  samePeriodLastYear,
  type FilterOptions,
} from "./analytics.server";
import { pupilFilterOf, readFilters, type ViewFilters } from "./filters";

export interface View {
  filters: ViewFilters;
  period: ResolvedPeriod;
  query: MeasureQuery;
  lastYearQuery: MeasureQuery;
  settings: Settings;
  today: string;
  /** Why the URL's period could not be used as asked (e.g. a custom range without dates), or null. */
  notice: string | null;
}

export async function resolveView(connection: Connection, request: Request): Promise<View> {
  const filters = readFilters(new URL(request.url).searchParams);
  const today = currentDate();
  const settings = await getSettings(connection);
  let period: ResolvedPeriod;
  let notice: string | null = null;
  try {
    period = await resolvePeriod(connection, {
      name: filters.period,
      today,
      from: filters.from,
      to: filters.to,
      academicYear: filters.year,
    });
  } catch (error) {
    // A half-filled custom range is a user slip, not a failure: say so and show the default.
    notice = `${(error as Error).message}. Showing the year to date instead.`;
    period = await resolvePeriod(connection, { name: "ytd", today });
  }
  const filter = pupilFilterOf(filters);
  const query: MeasureQuery = { from: period.from, to: period.to, filter };
  const lastYear = samePeriodLastYear(period);
  const lastYearQuery: MeasureQuery = { from: lastYear.from, to: lastYear.to, filter };
  return { filters, period, query, lastYearQuery, settings, today, notice };
}

export async function filterOptions(connection: Connection): Promise<FilterOptions> {
  return storedFilterOptions(connection);
}
