/**
 * An intervention entry's status on the pupil's page, in words (client-safe: no database).
 * A withdrawal and a correction are both later entries naming the one they supersede
 * (`corrects`), but they say different things: the withdrawn entry reads "Withdrawn by entry
 * 196 on 3 Dec 2026, 09:14 GMT", the corrected one "Corrected by entry 196 on …" (a trial's
 * entry 195 read "Corrected by entry 196" while 196 said "Withdraws entry 195").
 */
import type { InterventionEntry } from "./store.ts";
import { londonDateTime } from "../time.ts";

export function interventionStatus(entry: Pick<InterventionEntry, "withdrawn" | "corrects" | "corrected_by" | "superseded">): string {
  if (entry.withdrawn) return `Withdraws entry ${entry.corrects}`;
  if (entry.corrected_by !== null && entry.superseded)
    return `${entry.superseded.kind === "withdrawal" ? "Withdrawn" : "Corrected"} by entry ${entry.corrected_by} on ${londonDateTime(entry.superseded.recorded_at)}`;
  if (entry.corrected_by !== null) return `Corrected by entry ${entry.corrected_by}`;
  if (entry.corrects !== null) return `In force (corrects entry ${entry.corrects})`;
  return "In force";
}
