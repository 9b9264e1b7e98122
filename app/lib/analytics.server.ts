/**
 * The analytics functions loaders and actions may call. Routes import them from here, a
 * .server module, so the browser bundle never sees DuckDB.
 */
export * from "../../analytics/measures.ts";
export * from "../../analytics/pa-span.ts";
export { groupsCutByPeriod, cutGroupsWords, isCutGrain } from "../../analytics/cut-groups.ts";
export { isSmallCount, WITHHELD_TEXT } from "../../analytics/suppression.ts";
export * from "../../analytics/periods.ts";
export * from "../../analytics/register-due.ts";
export * from "../../analytics/settings.ts";
export * from "../../analytics/quality.ts";
export * from "../../analytics/pupil.ts";
export * from "../../analytics/options.ts";
export * from "../../analytics/groups.ts";
export * from "../../analytics/escalation.ts";
export * from "../../analytics/benchmarks/index.ts";
export * from "../../analytics/packs/index.ts";
export * from "../../analytics/audit.ts";
export * from "../../analytics/casework/index.ts";
export * from "../../analytics/interventions/index.ts";
export * from "../../analytics/early-warning.ts";
export * from "../../analytics/forecast.ts";
export * from "../../analytics/school-setup.ts";
export { importReach, importReachWords, importRecordReach, reachingImports } from "../../analytics/import/amended-periods.ts";
export { inTransaction } from "../../analytics/db.ts";
export { governorWithheldBy, governorSpan, withheldIn, applyWithheld, applyAbsentWithheld, anyWithheld, governorSpanWithheld, governorSpanIsShort, governorSlices, sliceDates, NO_SLICES_WITHHELD, governorPeriodsWithheld, governorBreakdownWithheld, governorBreakdownRows, splitGivenBy, governorSliceFigures, attendedOnly, reasonsGivenFor } from "../../analytics/governor-view.ts";
export { governorReasons, type ReasonFigure } from "../../analytics/governor-reasons.ts";
export { leaversCountedApart, leaversInGroups, type LeaversInGroups } from "../../analytics/leavers-count.ts";
export { restrictGovernorFilter, type GovernorPage, type LatticePlan } from "../../analytics/governor-lattice.ts";
export { governorHorizon, halfTermsOf, endedHalfTerms } from "../../analytics/governor-periods.ts";
export { governorSuppression, groupKey, withholdMeasures, withoutFigures, NOTHING_WITHHELD, type SuppressionPlan, type Withheld } from "../../analytics/suppression.ts";
