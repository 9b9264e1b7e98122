/**
 * A relayed command whose server goes away (analytics/cli/remote.ts relayToServer): with nothing
 * listening (a server killed, its announcement left) the CLI falls back to saying the file is
 * held; but a server that took the command and then stopped may have run some or all of it, so
 * the CLI says that and not "run this again" (review 48: Ctrl-C on the dashboard during a relayed
 * command gave "open in another Rollcall process … run this again", for an import too).
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { announceServer, relayToServer } from "../analytics/cli/remote.ts";
import { closeInstance, openInstance } from "../analytics/db.ts";
import { cliOn, initSchool } from "./helpers/cli.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-relay-stopped-"));
const database = path.join(dir, "school.duckdb");
fs.writeFileSync(database, "");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A server that takes the request and closes the connection without an answer, as a stopping dashboard does. */
async function dropping(): Promise<{ url: string; close(): Promise<void>; seen: number }> {
  const state = { seen: 0 };
  const server = http.createServer((req) => {
    state.seen += 1;
    req.socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get seen() {
      return state.seen;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("relayToServer when the server goes away", () => {
  it("says the command's fate is unknown when the server took it and stopped", async () => {
    const server = await dropping();
    const announced = announceServer(database, server.url);
    try {
      await expect(relayToServer(database, ["import", "--marks", "/x/marks.csv"], {})).rejects.toThrow(
        "the dashboard's server stopped while it ran this command, so whether it finished is not known",
      );
      expect(server.seen).toBe(1);
    } finally {
      announced.remove();
      await server.close();
    }
  });

  it("falls back (undefined: the file is held, say so) when nothing listens at the announced address", async () => {
    const server = await dropping();
    const url = server.url;
    await server.close();
    const announced = announceServer(database, url);
    try {
      expect(await relayToServer(database, ["summary"], {})).toBeUndefined();
    } finally {
      announced.remove();
    }
  });
});

describe("the CLI when the server it relayed to stops", () => {
  it("says so in one sentence, exit 1, no stack", async () => {
    const held = path.join(dir, "held.duckdb");
    await initSchool(held);
    // Held by this process as a dashboard holds it, so the CLI (another process) relays.
    await openInstance(held);
    const server = await dropping();
    const announced = announceServer(held, server.url);
    try {
      const result = await cliOn(held)("summary", "--from", "2026-03-02", "--to", "2026-03-04");
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        "rollcall summary: the dashboard's server stopped while it ran this command, so whether it finished is not known: look at the dashboard (the Imports page, the audit trail) or run rollcall version once it is back, before running it again\n",
      );
      expect(server.seen).toBe(1);
    } finally {
      announced.remove();
      await server.close();
      await closeInstance(held);
    }
  });
});
