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
    // The 18 census categories plus Refused and Information not yet obtained.
    expect(Object.keys(ETHNICITY_NAMES)).toHaveLength(20);
  });

  it("is what pages and pickers print for an ethnicity filter value", () => {
    expect(describeFilterValue("ethnicity", "BAFR")).toBe("Black – African");
  });
});
