/**
 * Issue 13 (session 19's leftover): a governor's Overview filtered to a pupil group (SEN: EHC
 * plan) showed the severe-absence card headed "Withheld", the word of a small count withheld,
 * for a figure that is never given by pupil group (analytics/governor-lattice.ts BY_GROUP_TEXT).
 * The card now reads "Not given" and the same words as every page and the packs ("not given
 * for a pupil group"); a small count withheld still reads "Withheld".
 */
import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { MeasureTile } from "../app/components/MeasureTile.tsx";
import { BY_GROUP_TEXT } from "../analytics/governor-lattice.ts";
import { WITHHELD_TEXT } from "../analytics/suppression.ts";

const card = (withheld: string, lastYear: string) =>
  renderToStaticMarkup(
    createElement(MeasureTile, { id: "sa", label: "Severe absence", value: null, direction: "lower-is-better", detail: "", withheld, comparisons: [{ against: "same period last year", reference: null, withheld: lastYear }] }),
  )
    .replace(/<\/p>/g, "\n")
    .replace(/<[^>]+>/g, "")
    .trim();

describe("the Overview's severe-absence card for a pupil group, as a governor reads it", () => {
  it("says the figure is not given for a pupil group, not 'Withheld'", () => {
    expect(card(BY_GROUP_TEXT, BY_GROUP_TEXT).split("\n")).toEqual([
      "Severe absenceNot given",
      "Not given for a pupil group",
      "Same period last year: not given for a pupil group · not compared",
    ]);
  });

  it("a small count withheld still reads 'Withheld'", () => {
    expect(card(WITHHELD_TEXT, WITHHELD_TEXT).split("\n")).toEqual(["Severe absenceWithheld", "Withheld for governors", "Same period last year: withheld · not compared"]);
  });
});
