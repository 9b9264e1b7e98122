/**
 * GET /import/progress?token=… — the stages so far of the signed-in user's web import named
 * by the token (app/lib/import-progress.server.ts), as JSON for the Import page to show while
 * it waits. A resource route: 401 signed out, 403 for a role that may not import; a token
 * that is not this user's (or has expired) reads as `known: false`, with no stages.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/lib/auth.server";
import { PROGRESS_TOKEN, readProgress } from "~/lib/import-progress.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, "import", { context, download: true });
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const progress = PROGRESS_TOKEN.test(token) ? readProgress(token, user.id) : undefined;
  const body = progress ? { ...progress, known: true } : { stages: [], done: false, known: false };
  return new Response(JSON.stringify(body), { headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" } });
}
