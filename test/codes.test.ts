/**
 * Every code in both regimes, one mark each, lands in its category in the measures; the
 * same code letter means what it meant on the session's date.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { CODE_CATALOGUE, lookupCode, type Category } from "../analytics/codes.ts";
import { summarise } from "../analytics/measures.ts";
import { seedRegister } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("codes");
const DATE_2024 = "2025-03-03";
const DATE_2006 = "2023-03-06";
const dateFor = (regime: string) => (regime === "2024" ? DATE_2024 : DATE_2006);
const upnFor = (code: string, regime: string) => `P${regime}-${code}`;

beforeAll(async () => {
  await withConnection(db, (c) =>
    seedRegister(c, {
      pupils: CODE_CATALOGUE.map((d) => ({ upn: upnFor(d.code, d.regime), admission_date: "2022-09-01" })),
      marks: CODE_CATALOGUE.map((d) => [upnFor(d.code, d.regime), dateFor(d.regime), "AM", d.code] as const).map((m) => [...m]),
    }),
  );
});
afterAll(() => removeDb(db));

const expected: Record<Category, (m: Awaited<ReturnType<typeof summarise>>) => void> = {
  present: (m) => expect([m.possible_sessions, m.present_sessions, m.attendance_pct]).toEqual([1, 1, 100]),
  aea: (m) => expect([m.possible_sessions, m.aea_sessions, m.attendance_pct]).toEqual([1, 1, 100]),
  authorised: (m) => expect([m.possible_sessions, m.authorised_sessions, m.absence_pct, m.sa_pupils]).toEqual([1, 1, 100, 1]),
  unauthorised: (m) => expect([m.possible_sessions, m.unauthorised_sessions, m.unauthorised_pct, m.pa_pupils]).toEqual([1, 1, 100, 1]),
  not_counted: (m) => expect([m.pupils, m.possible_sessions, m.attendance_pct]).toEqual([0, 0, null]),
};

describe("code categories", () => {
  for (const definition of CODE_CATALOGUE) {
    it(`${definition.code} (${definition.regime} codes) counts as ${definition.category}`, async () => {
      const date = dateFor(definition.regime);
      const m = await withConnection(db, (c) => summarise(c, { from: date, to: date, filter: { upn: upnFor(definition.code, definition.regime) } }));
      expected[definition.category](m);
    });
  }

  it("reads a letter by the rules of the session's date", () => {
    expect(lookupCode("J", "2024-08-16")?.category).toBe("aea");
    expect(lookupCode("J", "2024-08-19")).toBeUndefined();
    expect(lookupCode("J1", "2024-08-19")?.category).toBe("authorised");
    expect(lookupCode("H", "2024-07-19")?.category).toBe("authorised");
    expect(lookupCode("H", "2024-09-02")).toBeUndefined();
    expect(lookupCode("Y", "2023-01-09")?.category).toBe("not_counted");
    expect(lookupCode("N", "2025-01-06")?.category).toBe("unauthorised");
  });
});
