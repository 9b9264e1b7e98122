/**
 * A command a CLI relayed to the dashboard's server runs with its caller's context
 * (analytics/cli/context.ts runRelayed): their environment and their output. That context
 * must stay its own: a relayed command still running keeps its caller when another ends; work
 * a command left behind has no caller once it ended, even while a later command runs; once the
 * last has ended the context is switched off (so Node's async hooks stop costing every promise
 * of the server); the server's listeners of commits (analytics/db.ts onDataChanged: the warm-up
 * that renders every reader's pages) never run as the caller; and a relayed import dates
 * "today" by the caller's ROLLCALL_TODAY, as the command alone does.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cliCaller, cliEnv, runRelayed, type CliContext } from "../analytics/cli/context.ts";
import { inTransaction, onDataChanged, withConnection } from "../analytics/db.ts";
import { runForCaller } from "../analytics/cli/remote.ts";
import { importFiles } from "../analytics/import/index.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

/** A caller's context: ROLLCALL_TODAY as `today`, output kept in `out`. */
function caller(today: string, out: string[]): CliContext {
  return { remote: true, env: { ROLLCALL_TODAY: today }, stdout: (t) => out.push(t), stderr: (t) => out.push(t) };
}

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe("a relayed command's context", () => {
  let db: string | undefined;
  afterEach(async () => {
    vi.unstubAllEnvs();
    if (db) await removeDb(db);
    db = undefined;
  });

  it("keeps a command's caller while another relayed command ends, and gives none to work left running once the last has ended", async () => {
    const firstGoesOn = gate();
    const secondGoesOn = gate();
    const leftBehindRuns = gate();
    let leftBehind: Promise<CliContext | undefined> | undefined;
    const first = runRelayed(caller("2030-01-01", []), async () => {
      // Work the first command starts and does not wait for: it runs after every command ended.
      leftBehind = leftBehindRuns.opened.then(() => cliCaller());
      await firstGoesOn.opened;
      return cliEnv("ROLLCALL_TODAY");
    });
    const second = runRelayed(caller("2031-02-02", []), async () => {
      await secondGoesOn.opened;
      return cliEnv("ROLLCALL_TODAY");
    });
    firstGoesOn.open();
    expect(await first).toBe("2030-01-01");
    // The first has ended; the second, still running, keeps its caller.
    secondGoesOn.open();
    expect(await second).toBe("2031-02-02");
    leftBehindRuns.open();
    expect(await leftBehind).toBeUndefined();
    // A later relayed command has its caller again.
    expect(await runRelayed(caller("2032-03-03", []), async () => cliEnv("ROLLCALL_TODAY"))).toBe("2032-03-03");
  });

  it("gives no caller to work a command left behind, run while a later relayed command runs", async () => {
    const runsLater = gate();
    const laterGoesOn = gate();
    let leftBehind: Promise<[CliContext | undefined, string | undefined]> | undefined;
    await runRelayed(caller("2030-01-01", []), async () => {
      leftBehind = runsLater.opened.then(() => [cliCaller(), cliEnv("ROLLCALL_TODAY")]);
    });
    const later = runRelayed(caller("2031-02-02", []), async () => {
      await laterGoesOn.opened;
      return cliEnv("ROLLCALL_TODAY");
    });
    // The first command's leftover work runs while the later command runs (its context on).
    runsLater.open();
    expect(await leftBehind).toEqual([undefined, process.env.ROLLCALL_TODAY]);
    laterGoesOn.open();
    expect(await later).toBe("2031-02-02");
  });

  it("calls the server's listeners of commits outside the caller's context, whatever they start", async () => {
    db = tempDbPath("relay-context");
    const file = db;
    await withConnection(file, async () => undefined);
    const seen: Array<[string, CliContext | undefined]> = [];
    const later = gate();
    // Subscribed as the server subscribes at start: outside any command.
    const stop = onDataChanged(() => {
      seen.push(["at the commit", cliCaller()]);
      // As the warm-up does: a round started later, from the listener.
      setTimeout(() => {
        seen.push(["started from it", cliCaller()]);
        later.open();
      }, 0);
    });
    try {
      const out: string[] = [];
      await runRelayed(caller("2030-01-01", out), async () => {
        await withConnection(file, (c) => inTransaction(c, () => c.run("CREATE TABLE relayed_change (x INTEGER)")));
        // The command is still running when what the listener started runs.
        await later.opened;
      });
    } finally {
      stop();
    }
    expect(seen).toEqual([
      ["at the commit", undefined],
      ["started from it", undefined],
    ]);
  });

  it("dates a relayed import's 'today' by the caller's ROLLCALL_TODAY, as the command run alone does", async () => {
    db = tempDbPath("relay-today");
    const dir = path.dirname(db);
    const calendar = path.join(dir, "calendar.csv");
    const pupils = path.join(dir, "pupils.csv");
    const marks = path.join(dir, "marks.csv");
    fs.writeFileSync(calendar, "kind,name,start_date,end_date\nhalf_term,autumn-1,2024-09-02,2024-10-25\n");
    fs.writeFileSync(pupils, pupilsCsv([pupil(1, { admission_date: "2019-09-02" })]));
    await importFiles(db, { calendar, pupils }, { by: BY, asOf: "2024-09-02" });
    fs.writeFileSync(marks, `upn,date,session,code\n${upn(1)},2024-10-21,AM,/\n`);
    // The server was started with 2 Sep 2024 as today; its caller's today is 25 Oct 2024.
    vi.stubEnv("ROLLCALL_TODAY", "2024-09-03");
    const result = await runForCaller({ argv: ["import", "--marks", marks, "--db", db], env: { ROLLCALL_TODAY: "2024-10-25" } }, db);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    // The caller's today bounds the marks too: a mark after it is refused, named by its date.
    fs.writeFileSync(marks, `upn,date,session,code\n${upn(1)},2024-10-24,AM,/\n`);
    const refused = await runForCaller({ argv: ["import", "--marks", marks, "--db", db], env: { ROLLCALL_TODAY: "2024-10-22" } }, db);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("2024-10-24");
  });
});
