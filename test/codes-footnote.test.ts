/** The Codes page's footnote says what its table's shares are over, and nothing false when there is no absence. */
import { describe, expect, it } from "vitest";
import { codesFootnote } from "../app/lib/codes-footnote.ts";

describe("codesFootnote", () => {
  it("gives the share's denominator in words, one session or many", () => {
    expect(codesFootnote({ families: false, reasonsGiven: false, reasonsWithheld: [], absenceSessions: 1234 })).toContain(
      "Share of absence is each absence code's sessions over all 1,234 sessions of authorised and unauthorised absence.",
    );
    expect(codesFootnote({ families: true, reasonsGiven: false, reasonsWithheld: [], absenceSessions: 1 })).toContain(
      "Share of absence is each category's sessions over all 1 session of authorised and unauthorised absence.",
    );
  });

  it("says there is no share of absence for pupils with none (gov20: 'over all 0 sessions')", () => {
    for (const page of [
      { families: false, reasonsGiven: false },
      { families: true, reasonsGiven: false },
      { families: true, reasonsGiven: true },
    ]) {
      const footnote = codesFootnote({ ...page, reasonsWithheld: [], absenceSessions: 0 });
      expect(footnote).toContain("No session of authorised or unauthorised absence is recorded, so there is no share of absence.");
      expect(footnote).not.toContain("over all 0");
    }
  });
});
