/**
 * The name the phone's folded "Menu" gives the page open ("Menu, this page: Import history"),
 * for every page, not only the sections the menu lists (trial 53: /account, /imports,
 * /imports/N and /definitions said "Menu" alone, where the README says it names the page open).
 * A section's page, or a page under it (a pupil's page is Pupils'), takes the section's label;
 * any other page names itself in its route module's `handle` (`pageName`, words or a function of
 * the address's parameters), the deepest route that does. Client-safe.
 */

/** What a route module exports as `handle` to name its page where no section does. */
export interface PageNameHandle {
  pageName: string | ((params: Record<string, string | undefined>) => string);
}

/** Whether `pathname` is the section at `to`'s page or under it ("/" only itself), as NavLink marks it active. */
export function inSection(pathname: string, to: string): boolean {
  return to === "/" ? pathname === "/" : pathname === to || pathname.startsWith(`${to}/`);
}

/**
 * The page's name: the label of the section holding `pathname` (of `sections`, every section
 * whether or not the reader's role has it in their menu: a page's name does not depend on who
 * reads it), else the `pageName` of the deepest of `matches` (useMatches) whose handle has one;
 * null when neither names it.
 */
export function pageName(
  pathname: string,
  sections: ReadonlyArray<{ to: string; label: string }>,
  matches: ReadonlyArray<{ handle?: unknown; params: Record<string, string | undefined> }>,
): string | null {
  const section = sections.find((item) => inSection(pathname, item.to));
  if (section) return section.label;
  for (const match of [...matches].reverse()) {
    const handle = match.handle as Partial<PageNameHandle> | undefined;
    if (handle?.pageName) return typeof handle.pageName === "function" ? handle.pageName(match.params) : handle.pageName;
  }
  return null;
}
