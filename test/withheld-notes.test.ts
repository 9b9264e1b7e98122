/**
 * Where the governors' pack says why a table's figures are withheld (analytics/packs/withheld-notes.ts):
 * first under the table, before the rest of its note. Fresh-clone trial 50: the Headline tab's
 * reason came last in a long note (the spans of last year, the definitions, the national
 * sources), where the other tabs say it under their tables. Pure functions on a hand-made section.
 */
import { describe, expect, it } from "vitest";
import type { PackSection, PackTable } from "../analytics/packs/model.ts";
import { sectionsSayWhyWithheld, tableSaysWhyWithheld } from "../analytics/packs/withheld-notes.ts";
import { WITHHELD_TEXT } from "../analytics/suppression.ts";
import { withheldRuleSentence } from "../analytics/withheld-rule.ts";

const LONG_NOTE = "Last year: the same half terms a year earlier. Persistent absence: 10% or more of a pupil's own possible sessions missed. National: published figures.";

function headlineTable(withheld: boolean, extra: Partial<PackTable> = {}): PackTable {
  return {
    caption: "Headline",
    columns: [{ label: "Measure" }, { label: "Term", numeric: true }, { label: "Year to date, aged 5–15 (DfE basis)", numeric: true }],
    rows: [[{ kind: "text", text: "Attendance" }, { kind: "pct", value: 95 }, withheld ? { kind: "suppressed", text: WITHHELD_TEXT } : { kind: "pct", value: 95.1 }]],
    note: LONG_NOTE,
    ...extra,
  };
}

function headline(table: PackTable): PackSection {
  return {
    id: "headline",
    title: "Attendance against target",
    sheet: "Headline",
    blocks: [{ kind: "figures", items: [{ label: "Attendance", value: { kind: "pct", value: 95 }, details: [] }] }, { kind: "table", table }],
  };
}

const tableOf = (section: PackSection) => section.blocks.flatMap((b) => (b.kind === "table" ? [b.table] : []))[0];

describe("the reason for a table's withheld figures", () => {
  it("comes first under the table, before a long note, said once", () => {
    const [section] = sectionsSayWhyWithheld([headline(headlineTable(true))], 5);
    expect(tableOf(section).note).toBe(`${withheldRuleSentence(5)} ${LONG_NOTE}`);
  });

  it("in the table's own words where its builder gave them, which are not left on the table", () => {
    const why = 'Attendance in a week that reads "withheld" is withheld for governors.';
    const table = tableSaysWhyWithheld(headlineTable(true, { withheldWhy: why }), 5);
    expect(table.note).toBe(`${why} ${LONG_NOTE}`);
    expect(table).not.toHaveProperty("withheldWhy");
  });

  // Trial 54: every year group's persistently absent count read "withheld" though both its
  // classes' were too, and the governor reasoned that a total of two withheld counts reveals
  // neither. Year 6's would, beside the sessions its pupil groups missed (docs/DEFINITIONS.md
  // "Withheld figures (governors)"): the rule says so, on every page and in the pack.
  it("says a figure is withheld where the sessions missed beside it would give one away, a year group's count with its classes'", () => {
    const sentence = withheldRuleSentence(5);
    expect(sentence).toMatch(/could be worked out by subtraction or from the sessions missed beside them \(pupils who missed fewer sessions between them than one persistently absent pupil would include none\)/);
    expect(sentence).toMatch(/so a year group's count can be withheld though its classes' are too; both read "withheld", so neither can be told from the other\.$/);
  });

  it("is not added to a table with nothing withheld", () => {
    expect(tableOf(sectionsSayWhyWithheld([headline(headlineTable(false))], 5)[0]).note).toBe(LONG_NOTE);
  });
});
