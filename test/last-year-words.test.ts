/**
 * The overview's "Last year means the …" (app/lib/last-year-words.ts): a one-day period is
 * compared with the same weekday 52 weeks earlier, so its day is named with its weekday, as the
 * morning's words already did (trial 31b saw "28 Nov 2025 to 28 Nov 2025" for Fri 28 Nov 2025).
 */
import { describe, expect, it } from "vitest";
import { lastYearWords } from "../app/lib/last-year-words.ts";

describe("last year's span in words", () => {
  it("one day: its weekday and date", () => {
    expect(lastYearWords({ from: "2025-11-28", to: "2025-11-28" }, false)).toBe("same day last year (Fri 28 Nov 2025, the same weekday 52 weeks earlier)");
  });
  it("one day by its morning, and a longer period, as before", () => {
    expect(lastYearWords({ from: "2025-11-28", to: "2025-11-28" }, true)).toBe("morning of the same day last year (Fri 28 Nov 2025), as this afternoon's register has no marks yet");
    expect(lastYearWords({ from: "2025-11-24", to: "2025-11-28" }, false)).toBe("same period last year (24 Nov 2025 to 28 Nov 2025)");
  });
});
