/**
 * Every file in app/routes has an entry in the access table (app/lib/access.ts), so a route
 * added later cannot be left out of the role checks the browser tests make against it.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROUTE_ACCESS } from "../app/lib/access.ts";
import { routeIds } from "./helpers/routes.ts";

describe("the access table", () => {
  it("has an entry for every route file, and none for a route that no longer exists", () => {
    const ids = routeIds();
    expect(ids.length).toBeGreaterThan(15);
    expect(ids.filter((id) => !(id in ROUTE_ACCESS))).toEqual([]);
    expect(Object.keys(ROUTE_ACCESS).filter((id) => !ids.includes(id))).toEqual([]);
  });

  it("gives every route with an action an access for it, and every route module calls the guard", () => {
    for (const id of routeIds()) {
      const file = ["tsx", "ts"].map((ext) => path.resolve("app", `${id}.${ext}`)).find((f) => fs.existsSync(f));
      if (!file) continue; // a folder route: checked by the browser tests
      const source = fs.readFileSync(file, "utf8");
      const entry = ROUTE_ACCESS[id];
      if (/export (async )?function action|export const action/.test(source)) expect(entry.action, `${id} has an action`).toBeDefined();
      if (entry.loader !== "public") expect(source, `${id} calls requireRole or requireUser`).toMatch(/require(Role|User)\(/);
    }
  });
});
