/**
 * A class is addressable by the words every picker shows for it (analytics/class-words.ts):
 * "Class 3A" is 3A and "Not assigned to a class" the pupils with no class given, on every page
 * and the CLI (both read with readFilterValue); Casework's picker says "Class 3A" as the others
 * do (it said "3A"). Fresh-clone trial 26: `reg_group=Not assigned to a class` found nobody.
 */
import { describe, expect, it } from "vitest";
import { NOT_ASSIGNED } from "../analytics/class-words.ts";
import { readFilterValue } from "../analytics/filter-values.ts";
import { loader as pupils } from "../app/routes/pupils._index.tsx";
import { demoSchool } from "./helpers/demo-school.ts";

const { db, accounts } = demoSchool("class-words-typed", "2026-11-23");

describe("a class typed as the pickers write it", () => {
  it("reads the picker's words as the stored class", () => {
    const known = ["3A", "3B", NOT_ASSIGNED, "Class 9Z"];
    expect(readFilterValue("reg_group", "Class 3A", known)).toBe("3A");
    expect(readFilterValue("reg_group", "class 3b", known)).toBe("3B");
    expect(readFilterValue("reg_group", "Not assigned to a class", known)).toBe(NOT_ASSIGNED);
    expect(readFilterValue("reg_group", "not assigned", known)).toBe(NOT_ASSIGNED);
    // A class stored with the word in it is read as typed.
    expect(readFilterValue("reg_group", "Class 9Z", known)).toBe("Class 9Z");
    expect(readFilterValue("reg_group", "Class 4C", known)).toBeNull();
  });

  it("a page's address with the picker's words is sent to the stored class's address", async () => {
    process.env.ROLLCALL_DB = db;
    for (const [typed, stored] of [
      ["Not assigned to a class", "reg_group=Not+assigned"],
      ["Class 5A", "reg_group=5A"],
    ]) {
      const request = new Request(`http://localhost/pupils?period=academic-year&year=2023/24&reg_group=${encodeURIComponent(typed)}`, { headers: { cookie: accounts().head.cookie } });
      const answer = await pupils({ request, params: {}, context: {} }).then(
        () => null,
        (thrown: unknown) => thrown as Response,
      );
      expect(answer?.status, typed).toBe(302);
      expect(answer?.headers.get("Location"), typed).toContain(stored);
    }
  });
});
