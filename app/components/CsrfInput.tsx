/**
 * The session's CSRF token as a hidden field: every form that POSTs as a signed-in user
 * includes one (app/lib/auth.server.ts refuses a POST without it).
 */
import { useRouteLoaderData } from "@remix-run/react";
import type { loader as rootLoader } from "~/root";

export function CsrfInput() {
  const data = useRouteLoaderData<typeof rootLoader>("root");
  return <input type="hidden" name="csrf" value={data?.user?.csrfToken ?? ""} />;
}
