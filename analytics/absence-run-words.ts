/**
 * The two counts of absences in a row, and their names (trial 24: "Absence spells" was 9 on the
 * Pupils list and 8 on Early warning for the same pupil, because they count different runs).
 * One name each, on every page, CSV and pack; docs/DEFINITIONS.md defines both.
 *
 * - Runs of absent sessions (pupil measures' `absence_spells`, the Pupils list, its CSV, the
 *   SLT pack's pupil tables): separate runs of consecutive absent sessions — an absent
 *   afternoon then the next school day's absent morning is one run; an absent morning alone
 *   is a run.
 * - Spells of absence (Early warning and the SLT pack's list of them): separate runs of
 *   consecutive school days absent, a day absent being both sessions absence — the DfE-like
 *   usage, so a half-day absence is no spell.
 *
 * Pure and DB-free: components import it.
 */

/** Column name for runs of consecutive absent sessions (count of runs). */
export const SESSION_RUNS_LABEL = "Runs of absent sessions";
/** What a run of absent sessions is, in the users' words. */
export const SESSION_RUNS_WORDS =
  "Runs of absent sessions: separate runs of consecutive absent sessions (a morning absent alone is one run; an afternoon absent and the next school day's morning absent are one run)";

/** Name for runs of consecutive whole school days absent (count of spells). */
export const DAY_SPELLS_LABEL = "Spells of absence";
