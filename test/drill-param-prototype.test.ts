/**
 * Break test (session 15): /pupils?drill=constructor:x said "(expected function Object() {
 * [native code] })", drill=toString:Monday "(expected function toString() …)" and
 * drill=__proto__:x "(expected [object Object])": readDrillParam looked the breakdown up with
 * `in`, which finds the prototype's names. Such a breakdown is unknown, and said as one.
 */
import { describe, expect, it } from "vitest";
import { readDrillParam } from "../app/lib/filters.ts";

const GENERIC = "a breakdown and its value, such as weekday:Friday, month:2026-10 or year_group:5";

describe("drill= with a name the prototype holds", () => {
  for (const raw of ["constructor:x", "toString:Monday", "__proto__:x", "hasOwnProperty:AM"]) {
    it(raw, () => {
      expect(readDrillParam(new URLSearchParams({ drill: raw }), ["U"])).toEqual({ unread: { name: "drill", value: raw, expected: GENERIC } });
    });
  }
});
