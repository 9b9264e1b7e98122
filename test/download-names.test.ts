/**
 * Every download's name is made from what decides its content (analytics/download-names.ts):
 * a fresh-clone trial saved the head's and a governor's benchmark reports under one name.
 */
import { describe, expect, it } from "vitest";
import { downloadFileName } from "../analytics/download-names.ts";

describe("downloadFileName", () => {
  it("joins the base, the period, each option and the audience, in that order", () => {
    expect(
      downloadFileName({ base: "groups-sen", period: { from: "2025-09-01", to: "2025-12-19" }, options: [["year_group", "5"], ["fsm", "Y"]], audience: "governors", ext: "csv" }),
    ).toBe("groups-sen_2025-09-01-to-2025-12-19_year-group-5_fsm-y_governors.csv");
    expect(downloadFileName({ base: "benchmark-report", period: "2025-26", options: [["area", "E10000017"], ["groups", "year"]], audience: "staff", ext: "pdf" })).toBe(
      "benchmark-report_2025-26_area-e10000017_groups-year_staff.pdf",
    );
  });

  it("gives the two audiences' files different names, and leaves out what is not given", () => {
    const staff = downloadFileName({ base: "weekly-attendance", period: "2025-26", audience: "staff", ext: "csv" });
    const governors = downloadFileName({ base: "weekly-attendance", period: "2025-26", audience: "governors", ext: "csv" });
    expect([staff, governors]).toEqual(["weekly-attendance_2025-26_staff.csv", "weekly-attendance_2025-26_governors.csv"]);
    expect(downloadFileName({ base: "casework", period: null, options: [["rule", ""], ["sort", null], ["dir", undefined]], ext: "csv" })).toBe("casework.csv");
  });

  it("keeps a name to letters, digits and dashes whatever the address held", () => {
    expect(downloadFileName({ base: "pupils", options: [["q", 'O\'Neil "x"/../..\\'], ["sort", "name"]], ext: "csv" })).toBe("pupils_q-o-neil-x_sort-name.csv");
    expect(downloadFileName({ base: "pupils", options: [["q", "x".repeat(100)]], ext: "csv" })).toBe(`pupils_q-${"x".repeat(38)}.csv`);
  });
});
