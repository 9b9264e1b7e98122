/**
 * What a pupils import would change for a stored pupil, in words (analytics/import/
 * pupil-changes.ts): a fresh-clone trial's preview said only "Changed" for a renamed pupil.
 */
import { describe, expect, it } from "vitest";
import { pupilChangesLine, pupilDetailChanges, type PupilDetails } from "../analytics/import/pupil-changes.ts";

const STORED: PupilDetails = {
  forename: "Amelia", surname: "Price", dob: "2017-05-04", sex: "F", ethnicity: "WBRI",
  admission_date: "2021-09-01", leaving_date: null,
  year_group: "R", reg_group: "RB", sen: "N", fsm: "N", eal: "N", lac: "N",
};

describe("pupilDetailChanges", () => {
  it("is empty when nothing differs", () => {
    expect(pupilDetailChanges(STORED, { ...STORED })).toEqual([]);
  });

  it("lists each changed detail in the pupils file's column order, codes in words", () => {
    const file: PupilDetails = {
      ...STORED, forename: "Amelie", sex: "M", dob: "2017-05-14", year_group: "1", reg_group: "1A",
      leaving_date: "2025-07-18", sen: "K", eal: "Y", lac: "Y", ethnicity: "MWAS",
    };
    expect(pupilDetailChanges(STORED, file)).toEqual([
      { field: "Forename", before: "Amelia", after: "Amelie" },
      { field: "Date of birth", before: "4 May 2017", after: "14 May 2017" },
      { field: "Sex", before: "Female", after: "Male" },
      { field: "Year group", before: "Reception", after: "Year 1" },
      { field: "Class", before: "RB", after: "1A" },
      { field: "Leaving date", before: "none", after: "18 Jul 2025" },
      { field: "SEN", before: "No SEN", after: "SEN support" },
      { field: "EAL", before: "English first language", after: "EAL" },
      { field: "Looked after", before: "Not looked after", after: "Looked after" },
      { field: "Ethnicity", before: "White – British", after: "White and Asian" },
    ]);
  });

  it("says 'none' for no current characteristics and 'not given' for a blank ethnicity", () => {
    const closed: PupilDetails = { ...STORED, year_group: null, reg_group: null, sen: null, fsm: null, eal: null, lac: null };
    const changes = pupilDetailChanges(closed, { ...STORED, ethnicity: "" });
    expect(changes.map((c) => `${c.field}: ${c.before} → ${c.after}`)).toEqual([
      "Year group: none → Reception",
      "Class: none → RB",
      "SEN: none → No SEN",
      "FSM: none → Not eligible for FSM",
      "EAL: none → English first language",
      "Looked after: none → Not looked after",
      "Ethnicity: White – British → not given",
    ]);
    expect(pupilChangesLine(changes.slice(0, 2))).toBe("Year group: none → Reception; Class: none → RB");
  });
});
