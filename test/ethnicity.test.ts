/** Issue 13, case 11: the DfE's names for ethnicity codes (analytics/ethnicity.ts). */
import { describe, expect, it } from "vitest";
import { ETHNICITY_NAMES, ethnicityName } from "../analytics/ethnicity.ts";
import { describeFilterValue } from "../app/lib/filters.ts";

describe("ethnicity names", () => {
  it("names the DfE's main codes, extended codes by their main code, and leaves an unknown code as it is", () => {
    expect(ethnicityName("MWAS")).toBe("White and Asian");
    expect(ethnicityName("NOBT")).toBe("Information not yet obtained");
    expect(ethnicityName("WBRI")).toBe("White – British");
    expect(ethnicityName("WENG")).toBe("White – British");
    expect(ethnicityName("mwap")).toBe("White and Asian");
    expect(ethnicityName("ZZZZ")).toBe("ZZZZ");
    // Trial21: BNGN was shown as its code. Each extended code under its main code in the DfE's list.
    expect(["BNGN", "BSOM", "BAOF"].map(ethnicityName)).toEqual(["Black – African", "Black – African", "Black – African"]);
    expect(["WNIR", "AMPK", "ASLT", "BNAM", "CHKC", "MWCH", "OKRD"].map(ethnicityName)).toEqual([
      "White – British", "Pakistani", "Any other Asian background", "Any other Black background", "Chinese", "Any other mixed background", "Any other ethnic group",
    ]);
    // The 18 census categories plus Refused and Information not yet obtained.
    expect(Object.keys(ETHNICITY_NAMES)).toHaveLength(20);
  });

  it("is what pages and pickers print for an ethnicity filter value", () => {
    expect(describeFilterValue("ethnicity", "BAFR")).toBe("Black – African");
  });
});
