/**
 * The Pupils CSV's Flag column for pupils not yet judged (fewer than 40 possible sessions of
 * their own, analytics/judged-span.ts): flagged or not, the file says so, as the list does
 * (trial21b: a pupil at 100 % over 18 sessions had an empty Flag and looked judged). Judged is
 * followed by the pupil's unmarked school days, then whether the trend is judged (empty here: no windows).
 */
import { describe, expect, it } from "vitest";
import type { PupilListRow } from "../analytics/pupil-list.ts";
import { pupilListCsv } from "../app/lib/pupil-csv.ts";
import { notYetJudged } from "../analytics/judged-span.ts";

function pupil(upn: string, possible: number, absent: number, flags: { is_pa: boolean; is_sa: boolean }): PupilListRow {
  const pct = (n: number) => (100 * n) / possible;
  return {
    upn, surname: upn, forename: "Test", year_group: "3", reg_group: "3A", sen: "N", fsm: "N", eal: "N", lac: "N",
    possible_sessions: possible, present_sessions: possible - absent, aea_sessions: 0, authorised_sessions: absent, unauthorised_sessions: 0,
    attendance_pct: pct(possible - absent), absence_pct: pct(absent), authorised_pct: pct(absent), unauthorised_pct: 0,
    absence_spells: absent > 0 ? 1 : 0, late_sessions: 0, trend_pts: null, unmarked_days: 0, ...flags,
  } as unknown as PupilListRow;
}

const flagOf = (csv: string, upn: string) => {
  const lines = csv.trim().split(/\r?\n/);
  const line = lines.find((l) => l.startsWith(`${upn},`));
  if (!line) throw new Error(`no row for ${upn}`);
  return line;
};

describe("the Pupils CSV for pupils not yet judged", () => {
  const csv = pupilListCsv([
    pupil("FULL18", 18, 0, { is_pa: false, is_sa: false }),
    pupil("PA18", 18, 2, { is_pa: true, is_sa: false }),
    pupil("OK40", 40, 0, { is_pa: false, is_sa: false }),
  ]);

  it("an unflagged pupil with 18 sessions reads 'Not yet judged: 18 of 40 sessions', Judged no", () => {
    expect(flagOf(csv, "FULL18")).toMatch(/,Not yet judged: 18 of 40 sessions,[^,]*,no,0,$/);
  });

  it("a flagged one keeps the DfE flag with the words beside it; a judged unflagged pupil's Flag is empty, Judged yes", () => {
    expect(flagOf(csv, "PA18")).toContain(",Persistent absence (not yet judged: 18 of 40 sessions),");
    expect(flagOf(csv, "OK40")).toMatch(/,,[^,]*,yes,0,$/);
  });

  it("under a slice (Fridays) nothing is said of judging: those flags are not the measures", () => {
    const sliced = pupilListCsv([pupil("FULL18", 18, 0, { is_pa: false, is_sa: false })], "Fridays");
    expect(flagOf(sliced, "FULL18")).toMatch(/,,[^,]*,,0,$/);
  });
});

describe("one wording of 'not yet judged' for the Pupils list, its CSV and the pupil page (notYetJudged)", () => {
  it("alone as the list's tag, and with how far the pupil is as the CSV's and the page's cells", () => {
    expect(notYetJudged()).toBe("not yet judged");
    expect(notYetJudged(undefined, true)).toBe("Not yet judged");
    expect(notYetJudged(6, true)).toBe("Not yet judged: 6 of 40 sessions");
    expect(notYetJudged(18)).toBe("not yet judged: 18 of 40 sessions");
  });

  it("the CSV's cells are its words", () => {
    const csv = pupilListCsv([pupil("FULL6", 6, 0, { is_pa: false, is_sa: false }), pupil("SA12", 12, 8, { is_pa: true, is_sa: true })]);
    expect(flagOf(csv, "FULL6")).toContain(`,${notYetJudged(6, true)},`);
    expect(flagOf(csv, "SA12")).toContain(`,Severe absence (${notYetJudged(12)}),`);
  });
});
