/**
 * Break test (session 15): a pupil whose attendance improved over a monitoring period, the
 * SLT's congratulations letter sent, has a next review (the end of the monitoring period now
 * running: LadderStanding.review_by) on the Casework page, its CSV and the pupil's page — but
 * the SLT pack's ladder table said only the policy's words, with no date at all.
 * Hand-built register as test/casework-dated-actions.test.ts: school days from Mon 1 Sep 2025,
 * the pupil ill 1–12 Sep and present from 15 Sep to Mon 6 Oct; the Ludlow monitoring letter
 * on Fri 12 Sep; 15–26 Sep improved; the congratulations letter sent Mon 29 Sep. As of Mon
 * 6 Oct the second period runs 29 Sep – Fri 10 Oct: the next review is 10 Oct.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { recordIntervention } from "../analytics/interventions/store.ts";
import type { InterventionType } from "../analytics/interventions/types.ts";
import { buildSltPack } from "../analytics/packs/index.ts";
import { setSetting } from "../analytics/settings.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { absentDays, registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("slt-pack-next-review");
const AS_OF = "2025-10-06";

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [{ from: "2025-09-01", to: "2025-10-17", half: "autumn-1-2025", term: "autumn-2025" }]);
    const marked = days.filter((d) => d <= AS_OF);
    await seedRegister(c, { pupils: [{ upn: "SENT", admission_date: "2025-09-01" }], marks: registerOf("SENT", marked, absentDays(marked.filter((d) => d <= "2025-09-12"))) });
    const record = (type: InterventionType, date: string) => recordIntervention(c, { by: "Ms Lead", role: "attendance_lead", today: AS_OF, note: "", upn: "SENT", type, date });
    // The school's formal-meeting line at 55 %: SENT (61.5 %) is about the review after an
    // improvement, not §4's meeting below 85 % (test/ladder-formal-meeting.test.ts).
    await setSetting(c, "formal_meeting_threshold_pct", "55");
    await record("letter_below_90", "2025-09-12");
    await record("letter_improved", "2025-09-29");
  });
});
afterAll(() => removeDb(db));

describe("the SLT pack's ladder table after an improvement", () => {
  it("gives the next review date, as the Casework page and CSV do", async () => {
    const pack = await withConnection(db, (c) => buildSltPack(c, { month: "2025-10", today: AS_OF }));
    const section = pack.sections.find((s) => s.id === "thresholds")!;
    const rows = section.blocks.flatMap((b) => (b.kind === "table" ? b.table.rows : []));
    const row = rows.find((r) => r[0].kind === "text" && r[0].text === "Surname SENT, Forename SENT");
    expect(row, JSON.stringify(section).slice(0, 500)).toBeDefined();
    expect(JSON.stringify(row)).toMatch(/10 Oct 2025|2025-10-10/);
  });
});
