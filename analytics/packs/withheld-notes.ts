/**
 * Every table of the governors' pack with a withheld figure says why right under itself (first in its note), on its own
 * tab and PDF section (a fresh-clone trial: the workbook's "Weekly attendance to date" was 8
 * weeks × 13 columns of "withheld" under a note on percentages; the reason was only on the
 * Trends tab). The words are the pages' own (analytics/withheld-rule.ts): the table's
 * `withheldWhy` where its builder knows another reason (a half term's weeks or weekdays with a
 * day of 1 to min − 1 pupils absent: slicesWithheldWords), else the small-group rule
 * (withheldRuleSentence, every page's footnote). A figure "not given" (too short a span, a
 * group within a class) says so in its own cell and is no withheld figure.
 */
import type { Block, Cell, PackSection, PackTable } from "./model.ts";
import { WITHHELD_TEXT } from "../suppression.ts";
import { withheldRuleSentence } from "../withheld-rule.ts";

const isWithheld = (cell: Cell): boolean => cell.kind === "suppressed" && cell.text.startsWith(WITHHELD_TEXT);

/** Why `table`'s withheld figures are withheld, or null when none is. */
function whyWithheld(table: PackTable, min: number): string | null {
  return table.rows.some((row) => row.some(isWithheld)) ? (table.withheldWhy ?? withheldRuleSentence(min)) : null;
}

/**
 * `table` with `why` first in its note, so it is the first line under the table it explains
 * (a fresh-clone trial, session 50: the Headline tab's reason came at the end of a note of
 * spans, definitions and national sources, where the other tabs' came under their tables),
 * unless the note says it already; without withheldWhy.
 */
function withNote(table: PackTable, why: string | null): PackTable {
  const { withheldWhy: _said, ...rest } = table;
  if (why === null || table.note?.includes(why)) return rest;
  return { ...rest, note: table.note ? `${why} ${table.note}` : why };
}

/**
 * `table` (a workbook tab of its own) with the reason for its withheld figures first in its
 * note, or unchanged when none is withheld. `min`: the school's small-group minimum
 * (Settings), 2 or more. Pure.
 */
export function tableSaysWhyWithheld(table: PackTable, min: number): PackTable {
  return withNote(table, whyWithheld(table, min));
}

/**
 * `sections` with each reason for a section's withheld figures said once in it, under the
 * first table withheld for it (a section of two tables withheld alike, Year groups and
 * Classes, says it once), and the small-group rule in a paragraph after a block of headline
 * figures with one withheld when no table before it has said so. Pure.
 */
export function sectionsSayWhyWithheld(sections: readonly PackSection[], min: number): PackSection[] {
  return sections.map((section) => {
    const said = new Set<string>();
    const once = (why: string | null) => (why === null || said.has(why) ? null : (said.add(why), why));
    return {
      ...section,
      blocks: section.blocks.flatMap((block): Block[] => {
        if (block.kind === "table") return [{ kind: "table", table: withNote(block.table, once(whyWithheld(block.table, min))) }];
        if (block.kind !== "figures" || !block.items.some((f) => isWithheld(f.value))) return [block];
        const why = once(withheldRuleSentence(min));
        return why === null ? [block] : [block, { kind: "paragraphs", items: [why] }];
      }),
    };
  });
}
