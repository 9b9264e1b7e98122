/**
 * Sessions by code over a period across 19 August 2024 (the 2024 regulations), on a hand-made
 * register: a code marked under both regulations is named in the 2024 regulations' words, at
 * both levels (the store's aggregates and the marks), on every fresh instance. The words were
 * any_value's pick of the two, so which a page printed was DuckDB's choice (one-pupil.ts says so).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { aggregateLevel, markLevel } from "../analytics/measures.ts";
import { seedRegister, daysOf } from "./helpers/register.ts";
import { onFreshInstances, removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("codes-across-regimes");
// Twenty pupils: with two, any_value happened to give the 2024 words, with twenty the 2006 words
// on every run (the marks, not the catalogue, then the join's probe side): DuckDB's choice.
const UPNS = Array.from({ length: 20 }, (_, i) => `P${String(i).padStart(2, "0")}`);

beforeAll(async () => {
  await withConnection(db, (c) =>
    seedRegister(c, {
      pupils: UPNS.map((upn) => ({ upn, admission_date: "2024-06-03" })),
      // I (illness) in July 2024 (2006 regulations: "…appointments") and September 2024 (2024: "…appointment").
      marks: UPNS.flatMap((upn) => daysOf(upn, { "2024-07-15": ["I", "I"], "2024-07-16": ["I", "/"], "2024-09-09": ["I", "\\"], "2024-09-10": ["/", "\\"] })),
    }),
  );
});
afterAll(() => removeDb(db));

describe("codes across the 2024 regulations", () => {
  it("names a code marked under both in the 2024 regulations' words, at both levels, on every fresh instance", async () => {
    for (const level of [aggregateLevel, markLevel]) {
      for (const rows of await onFreshInstances(db, 4, (c) => level.sessionsByCode(c, { from: "2024-07-01", to: "2024-09-30" }))) {
        expect(rows.find((r) => r.code === "I")).toEqual({ code: "I", category: "authorised", meaning: "Illness (not medical or dental appointment)", sessions: 80 });
      }
    }
  });
});
