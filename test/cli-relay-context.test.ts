/**
 * A command a CLI relayed to the dashboard's server runs with its caller's context
 * (analytics/cli/context.ts runRelayed): their environment and their output. That context
 * must stay its own: a relayed command still running keeps its caller when another ends; once
 * the last has ended the context is switched off (so Node's async hooks stop costing every
 * promise of the server); and the server's listeners of commits (analytics/db.ts
 * onDataChanged: the warm-up that renders every reader's pages) never run as the caller.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cliContext, cliEnv, runRelayed, type CliContext } from "../analytics/cli/context.ts";
import { inTransaction, onDataChanged, withConnection } from "../analytics/db.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

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
      leftBehind = leftBehindRuns.opened.then(() => cliContext.getStore());
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

  it("calls the server's listeners of commits outside the caller's context, whatever they start", async () => {
    db = tempDbPath("relay-context");
    const file = db;
    await withConnection(file, async () => undefined);
    const seen: Array<[string, CliContext | undefined]> = [];
    const later = gate();
    // Subscribed as the server subscribes at start: outside any command.
    const stop = onDataChanged(() => {
      seen.push(["at the commit", cliContext.getStore()]);
      // As the warm-up does: a round started later, from the listener.
      setTimeout(() => {
        seen.push(["started from it", cliContext.getStore()]);
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
});
