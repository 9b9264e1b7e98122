/**
 * Which of the form's intervention types record each ladder step (the pupil page's "Record it
 * below as …"): every type a step names, not its first alone (review 53: Littledean's formal
 * support is answered by a parenting contract, early help or an education welfare referral, and
 * naming only the first told a school that arranged early help to record a parenting contract).
 * By hand from the presets (analytics/interventions/ladder-policies.ts).
 */
import { describe, expect, it } from "vitest";
import { LITTLEDEAN_LADDER, LUDLOW_LADDER } from "../analytics/casework/policy.ts";
import { typesRecording } from "../analytics/interventions/ladder-policies.ts";

describe("typesRecording", () => {
  it("gives Littledean's formal support its three types and its other steps their own", () => {
    expect(typesRecording(LITTLEDEAN_LADDER)).toEqual({
      meeting_with_targets: ["meeting_with_targets"],
      parenting_contract: ["parenting_contract", "early_help", "education_welfare_referral"],
      penalty_notice_requested: ["penalty_notice_requested"],
    });
  });

  it("gives Ludlow's formal meeting both its types, and its parenting contract step the referral too", () => {
    const ludlow = typesRecording(LUDLOW_LADDER);
    expect(ludlow.formal_meeting).toEqual(["formal_meeting", "meeting_with_targets"]);
    expect(ludlow.parenting_contract).toEqual(["parenting_contract", "education_welfare_referral"]);
    expect(ludlow.letter_below_90).toEqual(["letter_below_90"]);
  });
});
