/**
 * The signed-in user as the root loader gave it to the page, and `useCan` to hide links and
 * controls the user's role cannot use. Hiding is a courtesy: the server refuses regardless.
 */
import { useRouteLoaderData } from "@remix-run/react";
import type { loader as rootLoader } from "~/root";
import { can, type Permission } from "./permissions";

export function useUser() {
  return useRouteLoaderData<typeof rootLoader>("root")?.user ?? null;
}

export function useCan(permission: Permission): boolean {
  const user = useUser();
  return can(user?.role, permission);
}
