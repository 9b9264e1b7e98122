/**
 * A pupil's register calendar (app/components/RegisterCalendar.tsx), as trial 49 read it: a
 * session whose register has not closed was a blank cell (its words only in a title, which a phone
 * does not show), and a mark amended weeks later looked like any other. Now the first is drawn
 * ("…", keyed), and an amended mark is flagged where it stands, its title saying when and what it was.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { RegisterCalendar } from "../app/components/RegisterCalendar.tsx";

// Mon 5 Oct 2026: AM amended twice (O → N the first time, N → C the last), PM never amended;
// Tue 6 Oct: due up to its morning, so its afternoon has no mark yet.
const html = renderToStaticMarkup(
  createElement(RegisterCalendar, {
    from: "2026-10-05",
    to: "2026-10-06",
    marks: [
      { date: "2026-10-05", session: "AM", code: "C", category: "authorised" },
      { date: "2026-10-05", session: "PM", code: "/", category: "present" },
      { date: "2026-10-06", session: "AM", code: "/", category: "present" },
    ],
    expectedDays: ["2026-10-05", "2026-10-06"],
    due: { date: "2026-10-06", pm: false },
    closures: [],
    amendments: [
      { date: "2026-10-05", session: "AM", before: "N", amended_at: "2026-11-30 16:05" },
      { date: "2026-10-05", session: "AM", before: "O", amended_at: "2026-11-02 09:10" },
    ],
  }),
);
const titled = (fragment: string) => [...html.matchAll(/<span class="([^"]*)" title="([^"]*)"/g)].filter((m) => m[2].includes(fragment)).map((m) => ({ classes: m[1], title: m[2] }));

describe("a pupil's register calendar", () => {
  it("flags an amended mark, its title saying how often, when last and what it was; others unflagged", () => {
    expect(titled("Mon 5 Oct 2026 AM")).toEqual([
      {
        classes: "register-mark register-mark--authorised register-mark--amended",
        title: "Mon 5 Oct 2026 AM: C — Leave of absence for exceptional circumstances (Authorised absence); amended 2 times, last 30 November 2026, 16:05 GMT (was N)",
      },
    ]);
    expect(titled("Mon 5 Oct 2026 PM")[0].classes).toBe("register-mark register-mark--present");
    expect(html).toContain("Amended after it was first recorded (see Amendments below)");
  });

  it("draws a session not yet due as dots, keyed, not as a blank cell", () => {
    expect(titled("Tue 6 Oct 2026 PM")).toEqual([{ classes: "register-mark register-mark--not-due", title: "Tue 6 Oct 2026 PM: no mark yet (its register has not closed)" }]);
    expect(html).toMatch(/title="Tue 6 Oct 2026 PM: no mark yet \(its register has not closed\)"[^>]*>…<\/span>/);
    expect(html).toContain("No mark yet (its register has not closed)");
  });

  it("keys no amended mark when the pupil has none", () => {
    const plain = renderToStaticMarkup(createElement(RegisterCalendar, { from: "2026-10-05", to: "2026-10-05", marks: [], expectedDays: [], due: { date: "2026-10-06", pm: true }, closures: [] }));
    expect(plain).not.toContain("Amended after it was first recorded");
  });
});
