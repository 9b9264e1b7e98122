/** Sign out (a POST from the header's button): ends the session on the server and clears the cookie. */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { auditRequest } from "~/lib/audit.server";
import { endUserSession, requireUser } from "~/lib/auth.server";

/** A GET does nothing (a link or prefetch must not sign anyone out): back to the overview. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { ownPasswordFirst: true });
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, { ownPasswordFirst: true });
  await auditRequest(request, context, { actor: { email: user.email, name: user.name }, role: user.role, action: "sign_out" });
  return redirect("/login", { headers: { "Set-Cookie": await endUserSession(request) } });
}
