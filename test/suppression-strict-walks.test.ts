/**
 * protect's focused walks stop at the least cost they can reach (issue 11: at 4,500 pupils
 * some half of the strict walks met no figure of the table's least cost and walked on to the
 * end of what they reach). Hand-built tables: the walk's choice is the cheapest figure of what
 * it reaches, however far, and a figure known to every reader farther out than where the walk
 * stops, cheaper than its choice, is still one it read (a plan made again with it no longer
 * known chooses it, not the last run's figure).
 */
import { beforeEach, describe, expect, it } from "vitest";
import { forgetProtectRuns, protect, strictWalksCutShort, type DisclosureCell, type SumRule } from "../analytics/suppression.ts";

const SMALL = { lo: 1, hi: 4 };

// a and c small (withheld), e never published: x − r gives e, u − e − q gives c, t − c − p
// gives a. From a the walk meets t and p (one sum), then u and q (through c), then x and r
// (through e); z + y = zz is apart, with the table's least cost (z, 1), which the walk never meets.
const table = (rPublic: boolean): DisclosureCell[] => [
  { id: "a", value: 2, primary: SMALL },
  { id: "c", value: 3, primary: SMALL },
  { id: "e", value: 40, unpublished: true },
  { id: "p", value: 50, cost: 50 },
  { id: "t", value: 55, cost: 1000 },
  { id: "q", value: 20, cost: 10 },
  { id: "u", value: 63, cost: 1000 },
  { id: "r", value: 7, cost: 5, public: rPublic || undefined },
  { id: "x", value: 47, cost: 1000 },
  { id: "z", value: 9, cost: 1 },
  { id: "y", value: 9, cost: 2 },
  { id: "zz", value: 18, cost: 1000 },
];
const sums: SumRule[] = [
  { total: "t", parts: ["a", "c", "p"] },
  { total: "u", parts: ["c", "e", "q"] },
  { total: "x", parts: ["e", "r"] },
  { total: "zz", parts: ["z", "y"] },
];
const plan = (rPublic: boolean) => Object.fromEntries(protect(table(rPublic), sums, [], { focused: true }));

beforeEach(() => forgetProtectRuns());

describe("protect's strict walks", () => {
  it("choose the cheapest figure they reach, stopping once they have met it", () => {
    const before = strictWalksCutShort();
    // r known to every reader: q (cost 10, two sums out) is the cheapest that can go; the walks
    // from a and from c stop there, not walking on to x and r.
    expect(plan(true)).toEqual({ a: "primary", c: "primary", e: "secondary", q: "secondary" });
    expect(strictWalksCutShort() - before).toBe(2);
    // r not known: r (cost 5, three sums out) comes first, met by walking to the end.
    forgetProtectRuns();
    expect(plan(false)).toEqual({ a: "primary", c: "primary", e: "secondary", r: "secondary" });
  });

  it("read the flag of a cheaper figure known to every reader beyond where they stopped", () => {
    // The last run (r known) stopped before meeting r; r no longer known must be planned anew.
    expect(plan(true)).toEqual({ a: "primary", c: "primary", e: "secondary", q: "secondary" });
    expect(plan(false)).toEqual({ a: "primary", c: "primary", e: "secondary", r: "secondary" });
  });
});
