/**
 * The Interventions list's sort columns (client-safe data; the order of each is in
 * analytics/interventions/effect.ts, `effectsPage`). Default: newest first, as the list has
 * always been. Names, classes and words sort A→Z first; the attendance figures and the change
 * lowest first (the interventions that did least good at the top).
 */
import type { SortDirection } from "../list-paging.ts";

export const EFFECT_SORT_COLUMNS = {
  date: { defaultDir: "desc" },
  name: { defaultDir: "asc" },
  reg_group: { defaultDir: "asc" },
  type: { defaultDir: "asc" },
  recorded_by: { defaultDir: "asc" },
  before_pct: { defaultDir: "asc" },
  after_pct: { defaultDir: "asc" },
  change_points: { defaultDir: "asc" },
} as const satisfies Record<string, { defaultDir: SortDirection }>;

export type EffectSort = keyof typeof EFFECT_SORT_COLUMNS;

/** Newest first (then the latest recorded first): the list's default order. */
export const DEFAULT_EFFECT_SORT: EffectSort = "date";

/**
 * What "4 weeks before" and "4 weeks after" measure (analytics/interventions/effect.ts), said
 * wherever they are shown: the intervention's own week is in neither, which a reader
 * counting back from the date would not guess.
 */
export const EFFECT_WINDOWS_NOTE =
  "Before: the 4 school weeks before the week of the intervention. After: the 4 school weeks after that week (holiday weeks are not school weeks). The intervention's own week is in neither: it holds days both before and after the action.";

/** The note every place that gives per-type changes prints beside them (TypeEffect.after_earlier). */
export const AFTER_EARLIER_NOTE =
  "\"After another action\": measured interventions whose 4 school weeks before include another action for the same pupil (a congratulations letter always follows a monitoring letter and its monitoring period), so their change is not that type's alone.";
