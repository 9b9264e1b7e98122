/**
 * Counts said with their noun in the singular for 1 (analytics/plural.ts): a fresh-clone trial
 * read "(1 entries)" on Casework; retention's audit line read "1 interventions, 1 pupils"
 * (test/retention.test.ts checks that line on a real database).
 */
import { describe, expect, it } from "vitest";
import { plural } from "../analytics/plural.ts";
import { rowsReadWords } from "../analytics/audit.ts";

describe("a count's noun", () => {
  it("is singular for 1 only", () => {
    expect([0, 1, 2, 1204].map((n) => `${n} ${plural(n, "entry", "entries")}`)).toEqual(["0 entries", "1 entry", "2 entries", "1204 entries"]);
    expect(`1 ${plural(1, "pupil")}, 3 ${plural(3, "pupil")}`).toBe("1 pupil, 3 pupils");
    // A figure not given (null) reads as many.
    expect(plural(null, "session")).toBe("sessions");
    expect([rowsReadWords(1), rowsReadWords(1, 1), rowsReadWords(2, 1), rowsReadWords(1, 10)]).toEqual(["1 row read", "1 row read", "2 rows read (1 mark)", "1 row read (10 marks)"]);
    // Thousands as the pages print them (trial 54b: "2380 rows read").
    expect([rowsReadWords(2380), rowsReadWords(238, 2380)]).toEqual(["2,380 rows read", "238 rows read (2,380 marks)"]);
  });
});
