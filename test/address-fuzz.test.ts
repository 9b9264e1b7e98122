/**
 * Break test (session 15): odd addresses typed by hand on every page, as the head and as a
 * governor, on the demo school (today 23 Nov 2026). Nothing may answer 400 or 500 or throw:
 * a page names what it could not read (app/lib/filters.ts unreadValues, readDrillParam).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDemo } from "../analytics/demo/index.ts";
import type { Role } from "../analytics/users/roles.ts";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
const ROUTES: Record<string, () => Promise<{ loader: Loader }>> = {
  "/": () => import("../app/routes/_index.tsx"),
  "/trends": () => import("../app/routes/trends.tsx"),
  "/codes": () => import("../app/routes/codes.tsx"),
  "/patterns": () => import("../app/routes/patterns.tsx"),
  "/groups": () => import("../app/routes/groups.tsx"),
  "/classes": () => import("../app/routes/classes.tsx"),
  "/pupils": () => import("../app/routes/pupils._index.tsx"),
  "/pupils.csv": () => import("../app/routes/pupils[.]csv.tsx"),
  "/casework": () => import("../app/routes/casework.tsx"),
  "/casework.csv": () => import("../app/routes/casework[.]csv.tsx"),
  "/interventions": () => import("../app/routes/interventions.tsx"),
  "/early-warning": () => import("../app/routes/early-warning.tsx"),
  "/benchmarks": () => import("../app/routes/benchmarks.tsx"),
  "/packs/fgb": () => import("../app/routes/packs.fgb.tsx"),
  "/packs/slt": () => import("../app/routes/packs.slt.tsx"),
  "/packs": () => import("../app/routes/packs._index.tsx"),
  "/trust": () => import("../app/routes/trust.tsx"),
  "/quality": () => import("../app/routes/quality.tsx"),
  "/audit": () => import("../app/routes/audit.tsx"),
};
const LONG = "x".repeat(20000);
const QUERIES = [
  "period=",
  "period=&period=ytd",
  "period=term&period=nonsense",
  `period=${LONG}`,
  "period=%F0%9F%98%80",
  "period=%FF%FE",
  "period=custom&from=2026-11-30&to=2026-09-01",
  "period=custom&from=0001-01-01&to=9999-12-31",
  "period=custom&from=2026-02-30&to=2026-03-01",
  "drill=",
  "drill=:",
  "drill=weekday:",
  "drill=constructor:x",
  "drill=__proto__:x",
  "drill=toString:Monday",
  "drill=date:2026-02-30",
  "drill=week:2026-11-24",
  "drill=month:2026-13",
  "drill=half_term:autumn-9-2026",
  "drill=academic_year:2027/28",
  "drill=academic_year:1999/00",
  "drill=code:%F0%9F%98%80",
  "drill=year_group:99",
  "drill=weekday:Monday&drill=weekday:Friday",
  "year_group=%00",
  "reg_group=",
  `q=${LONG}`,
  "page=-1",
  "page=1e9",
  "page=NaN",
  "sort=__proto__&dir=sideways",
  "sort=constructor",
  "term=&month=",
  "term=constructor&month=__proto__",
  "year=2027/28",
  "year=constructor",
  "groups=__proto__&area=constructor&figures=toString",
  "by=constructor",
  "type=__proto__&status=toString",
  "rule=__proto__",
];

const db = tempDbPath("address-fuzz");
let accounts: Record<Role, TestAccount>;
beforeAll(async () => {
  process.env.ROLLCALL_TODAY = "2026-11-23";
  await buildDemo(db, { today: "2026-11-23" });
  accounts = await createTestAccounts(db);
}, 300_000);
afterAll(() => removeDb(db));

async function call(loader: Loader, url: string, role: Role): Promise<string> {
  process.env.ROLLCALL_DB = db;
  const request = new Request(`http://localhost${url}`, { headers: { cookie: accounts[role].cookie } });
  try {
    const result = await loader({ request, params: {}, context: {} });
    if (result instanceof Response) return `${result.status}`;
    return "ok";
  } catch (thrown) {
    if (thrown instanceof Response) return `${thrown.status}`;
    return `threw ${(thrown as Error).message?.slice(0, 200)}`;
  }
}

describe("odd addresses on every page", () => {
  for (const role of ["head", "governor"] as Role[]) {
    it(`as ${role}: no 400, no 500, nothing thrown`, async () => {
      const bad: string[] = [];
      for (const [path, mod] of Object.entries(ROUTES)) {
        const { loader } = await mod();
        for (const q of QUERIES) {
          const outcome = await call(loader, `${path}?${q}`, role);
          if (outcome === "400" || outcome.startsWith("5") || outcome.startsWith("threw")) bad.push(`${path}?${q.slice(0, 60)} → ${outcome}`);
        }
      }
      fs.writeFileSync(`/tmp/b15/fuzz-${role}.txt`, bad.join("\n"));
      expect(bad).toEqual([]);
    }, 600_000);
  }
});
