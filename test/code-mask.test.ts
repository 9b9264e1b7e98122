/**
 * codeMask (analytics/codes.ts): a regime's codes of some categories as bits over the store's
 * mark_code ENUM, which SQL tests with `(($mask::UBIGINT >> enum_code(code)) & 1)` where it
 * joined code_catalogue before (the Pupils list's drilled trend, the peer benchmark). Checked
 * against the store's own code_catalogue table and ENUM in a real DuckDB, for every category
 * set the queries use, under both regimes; and a few codes by hand.
 */
import { afterAll, describe, expect, it } from "vitest";
import { ALL_CODES, codeMask, type Category } from "../analytics/codes.ts";
import { closeInstance, queryRows, withConnection } from "../analytics/db.ts";

const SETS: Category[][] = [["present", "aea", "authorised", "unauthorised"], ["present", "aea"], ["authorised", "unauthorised"]];

describe("codeMask", () => {
  afterAll(() => closeInstance(":memory:"));

  it.each(["2024", "2006"] as const)("gives the %s codes' bits as the store's code_catalogue and mark_code number them", async (regime) => {
    await withConnection(":memory:", async (connection) => {
      for (const categories of SETS) {
        const mask = codeMask(regime, categories);
        // Each code of the catalogue, tested by the mask in SQL, against its category.
        const rows = await queryRows<{ code: string; in_mask: boolean; in_set: boolean }>(
          connection,
          `SELECT code::VARCHAR AS code, (($mask::UBIGINT >> enum_code(code)) & 1) = 1 AS in_mask, list_contains($set::VARCHAR[], category) AS in_set
           FROM code_catalogue WHERE regime = $regime ORDER BY code`,
          { mask, set: `[${categories.join(",")}]`, regime },
        );
        expect(rows.length).toBeGreaterThan(20);
        for (const row of rows) expect([row.code, row.in_mask]).toEqual([row.code, row.in_set]);
        // No bit for a member with no code of this regime.
        const [{ bits }] = await queryRows<{ bits: number }>(connection, `SELECT bit_count($mask::UBIGINT)::INTEGER AS bits`, { mask });
        expect(bits).toBe(rows.filter((r) => r.in_set).length);
      }
    });
  });

  it("by hand: J attends under 2006 only, H is an absence under 2006 and no 2024 code, X counts nowhere", () => {
    const has = (regime: "2006" | "2024", categories: Category[], code: string) => {
      return (codeMask(regime, categories) & (1n << BigInt(ALL_CODES.indexOf(code)))) !== 0n;
    };
    expect([has("2006", ["present", "aea"], "J"), has("2024", ["present", "aea"], "J")]).toEqual([true, false]);
    expect([has("2006", ["authorised"], "H"), has("2024", ["authorised", "unauthorised", "present", "aea", "not_counted"], "H")]).toEqual([true, false]);
    expect([has("2006", ["present", "aea", "authorised", "unauthorised"], "X"), has("2024", ["present", "aea", "authorised", "unauthorised"], "X")]).toEqual([false, false]);
    expect(has("2024", ["present", "aea"], "K")).toBe(true);
  });
});
