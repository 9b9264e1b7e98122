/**
 * On the penalty-notice threshold's list, a pupil with no ladder step pending is shown the
 * threshold's own next step, not the ladder's "attendance improved" words (the fresh-clone
 * trial found pupils with 10 unauthorised sessions in 10 school weeks told "letter from the
 * SLT congratulating the pupil and parents"). Other lists, a pending step and a penalty
 * notice already sought keep the ladder's words.
 */
import { describe, expect, it } from "vitest";
import { caseworkLadderOf } from "../analytics/casework/lists.ts";
import type { LadderStanding } from "../analytics/interventions/ladder.ts";

const improved: LadderStanding = {
  upn: "A123456789012",
  attendance_pct: 91.2,
  stage: { type: "final_warning", label: "Final warning (targets not met)", date: "2026-10-05" },
  improved_after: "2026-11-02",
  next: null,
  due: [],
  next_action: "Attendance improved: letter from the SLT congratulating the pupil and parents",
};
const penalty = { penaltyThreshold: "At least 10 sessions of G, N, O or U in the latest 10 school weeks." };

describe("the next step on the penalty-notice threshold's list", () => {
  it("is to consider a penalty notice, with the threshold in words, when the ladder has nothing pending", () => {
    expect(caseworkLadderOf(improved, penalty).next).toBe("Consider a penalty notice: At least 10 sessions of G, N, O or U in the latest 10 school weeks (the penalty-notice threshold)");
  });

  it("stays the ladder's on other lists, when a step is pending, and once a penalty notice was sought", () => {
    expect(caseworkLadderOf(improved).next).toBe(improved.next_action);
    const pending = { ...improved, next: { type: "penalty_notice_requested", label: "Penalty notice sought", due_from: "2026-11-02", due_by: "2026-11-09", late: false, conditional: false } } as unknown as LadderStanding;
    expect(caseworkLadderOf(pending, penalty).next).toBe("Penalty notice sought");
    const sought = { ...improved, stage: { type: "penalty_notice_requested", label: "Penalty notice sought", date: "2026-11-10" }, next_action: "Last step of the ladder reached" } as LadderStanding;
    expect(caseworkLadderOf(sought, penalty).next).toBe("Last step of the ladder reached");
  });
});
