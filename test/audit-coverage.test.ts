/**
 * Every route a role that sees pupils reaches records its views in the audit trail (issue 9:
 * "access to pupil data is recorded"), or says here why it names no pupil. A fresh-clone trial
 * (26) found two that named pupils unrecorded: an import's page (/imports/N, the pupils whose
 * marks it amended) and the import preview. A route added later for such a role fails here
 * until it records its views or is listed below with its reason. Its recording itself is each
 * route's own test (test/import-pages-audited.test.ts, test/browser/page-audited.test.ts …).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROUTE_ACCESS } from "../app/lib/access.ts";

/** The permissions whose pages may name pupils (analytics/users/roles.ts). */
const PUPIL_PERMISSIONS = new Set(["view_pupils", "view_slt_pack", "import", "amend", "record_interventions"]);

/** Routes for those roles that name no pupil, with why. */
const NAMES_NO_PUPIL: Record<string, string> = {
  "routes/trust": "the trust's schools' figures by year group and characteristic; no pupil",
  "routes/imports._index": "each import's file, time, who and counts; the pupils are on the import's own page",
  "routes/import_.progress": "a stage of the running import in words (reading, checking); no pupil",
  "routes/packs.slt": "the frame and commentary of the SLT pack; its document (packs.$kind.$format) names pupils and records",
};

const AUDIT_CALL = /\b(auditView|auditListView|auditRequest|auditOn|auditDownload|auditExport)\(/;

describe("pages naming pupils are audited", () => {
  it("every route a pupil-seeing role reaches calls the audit trail, or is listed as naming no pupil", () => {
    const unrecorded: string[] = [];
    for (const [id, access] of Object.entries(ROUTE_ACCESS)) {
      const needs = [typeof access.loader === "function" ? access.loader({ kind: "slt" }) : access.loader, access.action];
      if (!needs.some((need) => need !== undefined && PUPIL_PERMISSIONS.has(need))) continue;
      const source = fs.readFileSync(path.resolve("app", `${id}.tsx`), "utf8");
      if (!AUDIT_CALL.test(source) && !(id in NAMES_NO_PUPIL)) unrecorded.push(id);
    }
    expect(unrecorded).toEqual([]);
  });

  it("lists only routes that exist and do not record", () => {
    for (const id of Object.keys(NAMES_NO_PUPIL)) {
      expect(ROUTE_ACCESS[id], id).toBeDefined();
      expect(AUDIT_CALL.test(fs.readFileSync(path.resolve("app", `${id}.tsx`), "utf8")), id).toBe(false);
    }
  });
});
