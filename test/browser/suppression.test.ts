/**
 * Issue 13, case 9: the aggregate pages a governor sees (Year groups and classes, Groups)
 * suppress small groups and every figure that would give one away by subtraction, on the
 * server — the withheld figures are not in the page's data at all — while staff see every
 * figure. The loaders' data (as the page carries it for Remix to hydrate) is read as the governor and as the head, every
 * published count is gathered, and every sum a reader knows is used to try to recover each
 * withheld figure. Screenshots of both pages as a governor are kept.
 */
import { afterAll, describe, expect, it } from "vitest";
import { recoverable, type Bounds } from "../../analytics/suppression.ts";
import { closeBrowser, openApp, saveScreenshot } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

type Role = "governor" | "head";
interface Withheld {
  row: string | null;
  pa: string | null;
  sa: string | null;
}
interface Row {
  group: string;
  pupils: number;
  possible_sessions: number;
  present_sessions: number;
  aea_sessions: number;
  pa_pupils: number;
  sa_pupils: number;
  withheld: Withheld;
}

/** The route's loader data as the browser received it (embedded in the page for hydration). */
async function loaderData<T>(role: Role, path: string, route: string): Promise<T> {
  const app = await openApp(path, { as: role });
  try {
    return (await app.page.evaluate((id) => (window as unknown as { __remixContext: { state: { loaderData: Record<string, unknown> } } }).__remixContext.state.loaderData[id], route)) as T;
  } finally {
    await app.close();
  }
}

const FIGURES = ["pupils", "possible", "attended", "pa", "sa"] as const;

/**
 * What a reader of the page knows about one group. Every withheld figure reads "withheld",
 * which gives no range (the stronger reader, told which are small, is played against the plan
 * itself in test/governor-lattice.test.ts).
 */
function read(known: Map<string, number>, withheld: Map<string, Bounds>, key: string, row: Omit<Row, "group">) {
  const words = (text: string, _figure: string): Bounds => {
    expect(text === "withheld" || text.startsWith("not given"), text).toBe(true);
    return { lo: 0, hi: Number.POSITIVE_INFINITY };
  };
  const values = { pupils: row.pupils, possible: row.possible_sessions, attended: row.present_sessions + row.aea_sessions, pa: row.pa_pupils, sa: row.sa_pupils };
  for (const figure of FIGURES) {
    const text = row.withheld.row ?? (figure === "pa" ? row.withheld.pa : figure === "sa" ? row.withheld.sa : null);
    if (text) withheld.set(`${key}|${figure}`, words(text, figure));
    else known.set(`${key}|${figure}`, values[figure]);
  }
}

const sumsFor = (total: string, parts: string[]) => FIGURES.map((f) => ({ total: `${total}|${f}`, parts: parts.map((p) => `${p}|${f}`) }));

describe("the aggregate pages as a governor", () => {
  it("Year groups and classes: withholds small counts and their complements; staff see them all", async () => {
    type Data = { whole: Omit<Row, "group">; wholeWithheld: Withheld; yearGroups: Row[]; classes: Row[] };
    const governor = await loaderData<Data>("governor", "/classes", "routes/classes");
    const head = await loaderData<Data>("head", "/classes", "routes/classes");
    const anyWithheld = (rows: Row[]) => rows.some((r) => r.withheld.row || r.withheld.pa || r.withheld.sa);
    expect(anyWithheld([...head.yearGroups, ...head.classes])).toBe(false);
    expect(anyWithheld([...governor.yearGroups, ...governor.classes])).toBe(true);
    // A withheld figure is not in the page's data: the head's real value is not what the governor got.
    for (const row of governor.classes.filter((r) => r.withheld.pa)) {
      const real = head.classes.find((r) => r.group === row.group)!;
      expect(real.pa_pupils).toBeGreaterThan(0);
      expect(row.pa_pupils).toBe(0);
    }

    const known = new Map<string, number>();
    const withheld = new Map<string, Bounds>();
    read(known, withheld, "school", { ...governor.whole, withheld: governor.wholeWithheld });
    for (const y of governor.yearGroups) read(known, withheld, `year:${y.group}`, y);
    for (const c of governor.classes) read(known, withheld, `class:${c.group}`, c);
    const years = governor.yearGroups.map((y) => `year:${y.group}`);
    const classes = governor.classes.map((c) => `class:${c.group}`);
    const sums = [
      ...sumsFor("school", years),
      ...sumsFor("school", classes),
      // The demo's classes are named by year group: 4A and 4B make Year 4.
      ...governor.yearGroups.flatMap((y) => sumsFor(`year:${y.group}`, classes.filter((c) => c.slice(6).startsWith(y.group)))),
    ];
    expect(recoverable(known, withheld, sums)).toEqual([]);
    // The same reading of the head's page, with one class's figure hidden, finds it: the check bites.
    const headKnown = new Map<string, number>();
    for (const c of head.classes) read(headKnown, new Map(), `class:${c.group}`, c);
    for (const y of head.yearGroups) read(headKnown, new Map(), `year:${y.group}`, y);
    const victim = `class:${head.classes[0].group}|pa`;
    headKnown.delete(victim);
    expect(recoverable(headKnown, new Map([[victim, { lo: 0, hi: Number.POSITIVE_INFINITY }]]), sums)).toEqual([victim]);

    const app = await openApp("/classes", { as: "governor" });
    expect(await app.page.locator('[data-testid="withheld"]').count()).toBeGreaterThan(0);
    expect(app.consoleErrors).toEqual([]);
    await saveScreenshot(app.page, "suppression-classes-governor");
    await app.close();
  });

  it("Groups: a group and the rest of the school never let a withheld figure be subtracted back", async () => {
    type Comparison = { group: string; measures: Omit<Row, "group" | "withheld">; complement: Omit<Row, "group" | "withheld">; withheld: Withheld; restWithheld: Withheld };
    type Data = { whole: Omit<Row, "group">; wholeWithheld: Withheld; sections: Array<{ dimension: string; groups: Comparison[] }> };
    const governor = await loaderData<Data>("governor", "/groups", "routes/groups");
    const head = await loaderData<Data>("head", "/groups", "routes/groups");
    expect(head.sections.flatMap((s) => s.groups).some((g) => g.withheld.row || g.withheld.pa)).toBe(false);
    const all = governor.sections.flatMap((s) => s.groups);
    // The demo has two looked-after children: their row is withheld.
    expect(governor.sections.find((s) => s.dimension === "lac")!.groups.find((g) => g.group === "Y")!.withheld.row).toBe("withheld");
    expect(all.some((g) => g.withheld.row)).toBe(true);

    const known = new Map<string, number>();
    const withheld = new Map<string, Bounds>();
    read(known, withheld, "school", { ...governor.whole, withheld: governor.wholeWithheld });
    const sums = [];
    for (const section of governor.sections) {
      for (const g of section.groups) {
        const key = `${section.dimension}:${g.group}`;
        read(known, withheld, key, { ...g.measures, withheld: g.withheld });
        read(known, withheld, `rest:${key}`, { ...g.complement, withheld: g.restWithheld });
        sums.push(...sumsFor("school", [key, `rest:${key}`]));
      }
      sums.push(...sumsFor("school", section.groups.map((g) => `${section.dimension}:${g.group}`)));
    }
    expect(recoverable(known, withheld, sums)).toEqual([]);

    const app = await openApp("/groups", { as: "governor" });
    expect(await app.page.locator('[data-testid="withheld"]').count()).toBeGreaterThan(0);
    expect(await app.page.locator('[data-testid="suppression-note"]').count()).toBe(1);
    expect(app.consoleErrors).toEqual([]);
    // Ethnicity by the DfE's names, the code on hover (case 11).
    const mwas = app.page.locator('[data-testid="groups-ethnicity"] tr[data-group="MWAS"] span[title="Code MWAS"]');
    expect((await mwas.textContent())?.trim()).toBe("White and Asian");
    // Groups offers a governor the year group alone (app/lib/filters.ts governorOffer).
    expect(await app.page.locator("#filter-ethnicity").count()).toBe(0);
    await app.page.locator("#lac").scrollIntoViewIfNeeded();
    await saveScreenshot(app.page, "suppression-groups-governor");
    await app.close();
    // The ethnicity filter, where a governor's page offers it, by the DfE's names too.
    const classes = await openApp("/classes", { as: "governor" });
    expect((await classes.page.locator("#filter-ethnicity option[value=NOBT]").textContent())?.trim()).toBe("Information not yet obtained");
    await classes.close();
  });

  it("Overview: what changed is the last two half terms that have ended, absence only, never a week or a month (case 13, case 9)", async () => {
    const app = await openApp("/", { as: "governor" });
    expect(await app.page.getByTestId("change-weeks").count()).toBe(0);
    expect(await app.page.getByTestId("change-months").count()).toBe(0);
    const text = (await app.page.getByTestId("change-half-terms").textContent()) ?? "";
    expect(text).toContain("Summer 2 2026");
    expect(text).toContain("Autumn 1 2026");
    expect(text).toContain("Absence");
    expect(text).not.toContain("Persistently absent");
    expect(text).not.toContain("Pupils absent at least once");
    // The demo's 2 severely absent pupils: a count a governor does not see (nor its rate); the head does.
    const sa = (await app.page.getByTestId("tile-sa").textContent()) ?? "";
    expect(sa).toContain("Withheld for governors");
    expect(sa).not.toContain("fewer than");
    expect(sa).not.toMatch(/\b2 of 240\b/);
    expect(app.consoleErrors).toEqual([]);
    const head = await openApp("/");
    expect((await head.page.getByTestId("tile-sa").textContent()) ?? "").toMatch(/\d of the 240 pupils with sessions in the period \(leavers included\) missed 50%/);
    await head.close();
    await app.page.getByTestId("change-half-terms").scrollIntoViewIfNeeded();
    await saveScreenshot(app.page, "weekly-figures-overview");
    await app.close();
  });
});
