/**
 * Pages prepared before anyone asks (issue 11, item 5: "packs are built once per import"). The
 * result cache (analytics/db.ts) keeps every query's answer until the next commit, but the
 * first reader after an import paid for all of them: 0.6 s for the demo school's Overview,
 * 2.2 s for its FGB pack. After the server starts and after every commit, scripts/warm-up.js
 * renders the staff's pages below in the background, one at a time, so their queries are
 * answered from memory when a person opens them.
 *
 * A warm-up request is a GET made inside this process, carrying a header with a secret made
 * at start-up that never leaves the process; getUser treats it as a reader with the role named
 * and no session. No warm-up page writes anything (pupil pages, which record who viewed them,
 * are not warmed) and no response leaves the process.
 */
import crypto from "node:crypto";
import type { Role } from "./permissions";

export const WARM_UP_HEADER = "x-rollcall-warm-up";
const SECRET = crypto.randomBytes(32).toString("hex");
/** Whom every warm-up request stands for: the staff's figures are a head's. */
const WARM_ROLE = "head" satisfies Role;

/**
 * The pages warmed, in the order a school opens them, as a head. Not the governors' views nor
 * the FGB pack: their small-group plan (analytics/suppression.ts) runs on the server's one
 * JavaScript thread and on a large register takes minutes (4,500 pupils: the governors' Groups
 * lattice of 28,575 figures, over 4 minutes), which would stall every reader after each
 * change. They are computed when first asked for, as before.
 */
export const WARM_UP_PATHS: readonly string[] = [
  "/", "/casework", "/pupils", "/groups", "/classes", "/trends", "/codes", "/patterns",
  "/benchmarks", "/early-warning", "/interventions", "/quality", "/packs/slt",
];

/** The headers a warm-up request carries. */
export function warmUpHeaders(): Record<string, string> {
  return { [WARM_UP_HEADER]: SECRET };
}

/**
 * The reader a warm-up request stands for, or null for every other request (no header, a
 * wrong secret, or anything but GET). Shapes as auth.server's SignedInUser: id 0, no session.
 */
export function warmUpReader(request: Request): { id: number; email: string; name: string; role: Role; sessionId: string; csrfToken: string } | null {
  const header = request.headers.get(WARM_UP_HEADER);
  if (!header || request.method !== "GET") return null;
  const expected = Buffer.from(SECRET);
  const given = Buffer.from(header);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  return { id: 0, email: "", name: "Rollcall (preparing pages)", role: WARM_ROLE, sessionId: "", csrfToken: "" };
}
