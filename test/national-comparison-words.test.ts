/**
 * The Overview's and Groups' comparison with a published figure reads as sentences: a caveat
 * ("… so no verdict") ends before the figure's own notes begin (trial 18a read "… not the same
 * period, so no verdict No 2026/27 figure is published yet: this is 2025/26's").
 */
import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { NationalComparison, type NationalFigure } from "../app/components/NationalComparison.tsx";

const lastYears: NationalFigure = {
  value: 5.3,
  phase: "primary",
  citation: "DfE, Pupil attendance in schools (2025/26 year to date to 10 Jul 2026)",
  label: "National (primary, 2025/26 year to date)",
  source: "Pupil attendance in schools",
  sourceUrl: "https://explore-education-statistics.service.gov.uk/find-statistics/pupil-attendance-in-schools",
  periodEnd: "2026-07-10",
  academicYear: "2025/26",
  period: "year-to-date",
  notes: ["No 2026/27 figure is published yet: this is 2025/26's"],
};

const text = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&#x27;/g, "'");

describe("a comparison without a verdict", () => {
  it("ends its caveat with a full stop before the published figure's notes", () => {
    // The school's autumn 2026 to date against last year's whole-year-to-date figure: not like for like.
    const html = renderToStaticMarkup(
      createElement(NationalComparison, { value: 4.1, benchmark: lastYears, span: { academicYear: "2026/27", kind: "year-to-date", to: "2026-10-23", complete: false } }),
    );
    expect(text(html)).toMatch(/so no verdict\. No 2026\/27 figure is published yet: this is 2025\/26's\.$/);
  });
});
