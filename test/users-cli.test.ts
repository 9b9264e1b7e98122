/**
 * `rollcall users` as a set-up script uses it (a contract, issue 9): the real bin/rollcall.js
 * in a child process on a real database; exit 0 success, 1 refusal, 2 bad usage.
 */
import fs from "node:fs";
import os from "node:os";
import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances, queryRows, withConnection } from "../analytics/db.ts";
import { initSchool } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { verifyPassword } from "../analytics/users/password.ts";
import { signIn } from "../analytics/users/store.ts";

const BIN = path.resolve("bin/rollcall.js");
const db = tempDbPath("users-cli");
beforeAll(() => initSchool(db));
afterAll(() => removeDb(db));

function rollcall(args: string[], options: { password?: string; stdin?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.ROLLCALL_PASSWORD;
    if (options.password !== undefined) env.ROLLCALL_PASSWORD = options.password;
    const child = execFile(process.execPath, [BIN, ...args, "--db", db], { env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(options.stdin ?? "");
  });
}

describe("rollcall users", () => {
  it("adds an account with the password from ROLLCALL_PASSWORD or standard input, storing only a hash", async () => {
    const added = await rollcall(["users", "add", "--email", "Admin@School.example", "--name", "Sam Admin", "--role", "admin"], { password: "twelve chars!" });
    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    const fromStdin = await rollcall(["users", "add", "--email", "gov@school.example", "--name", "Gill Gov", "--role", "governor"], { stdin: "from standard input\n" });
    expect(fromStdin.code).toBe(0);
    const list = await rollcall(["users", "list", "--json"]);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ email: "admin@school.example", name: "Sam Admin", role: "admin", disabled: false }),
      expect.objectContaining({ email: "gov@school.example", role: "governor" }),
    ]);
    const rows = await withConnection(db, (c) => queryRows(c, "SELECT * FROM users"));
    await closeAllInstances(); // let the next command open the file
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain("twelve chars!");
    expect(stored).not.toContain("from standard input");
  });

  it("refuses (exit 1) a short password, a duplicate and an unknown account; bad usage is exit 2", async () => {
    expect((await rollcall(["users", "add", "--email", "x@school.example", "--name", "X", "--role", "slt"], { password: "elevenchars" })).code).toBe(1);
    expect((await rollcall(["users", "add", "--email", "gov@school.example", "--name", "Again", "--role", "slt"], { password: "long enough password" })).code).toBe(1);
    expect((await rollcall(["users", "disable", "--email", "nobody@school.example"])).code).toBe(1);
    expect((await rollcall(["users", "add", "--email", "y@school.example", "--name", "Y", "--role", "caretaker"], { password: "long enough password" })).code).toBe(2);
    expect((await rollcall(["users", "add", "--name", "No Email", "--role", "slt"], { password: "long enough password" })).code).toBe(2);
    expect((await rollcall(["users", "frobnicate"])).code).toBe(2);
  });

  it("says both ways of giving a password when none came (nothing piped, ROLLCALL_PASSWORD unset): exit 2, nothing changed", async () => {
    for (const args of [
      ["users", "reset-password", "--email", "gov@school.example"],
      ["users", "add", "--email", "nopass@school.example", "--name", "No Pass", "--role", "slt"],
    ]) {
      const result = await rollcall(args, { stdin: "" });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("ROLLCALL_PASSWORD");
      expect(result.stderr).toContain("first line of standard input");
    }
    const list = JSON.parse((await rollcall(["users", "list", "--json"])).stdout) as Array<{ email: string }>;
    expect(list.map((u) => u.email)).not.toContain("nopass@school.example");
  });

  it("changes a role and disables an account", async () => {
    expect((await rollcall(["users", "set-role", "--email", "gov@school.example", "--role", "slt"])).code).toBe(0);
    expect((await rollcall(["users", "disable", "--email", "gov@school.example"])).code).toBe(0);
    const list = JSON.parse((await rollcall(["users", "list", "--json"])).stdout) as Array<{ email: string; role: string; disabled: boolean }>;
    expect(list.find((u) => u.email === "gov@school.example")).toMatchObject({ role: "slt", disabled: true });
  });

  it("records every account change on the audit trail as the CLI's user, from the CLI", async () => {
    expect((await rollcall(["users", "enable", "--email", "gov@school.example", "--user", "Sam at the keyboard"])).code).toBe(0);
    expect((await rollcall(["users", "reset-password", "--email", "gov@school.example", "--user", "Sam at the keyboard"], { password: "a reset passphrase" })).code).toBe(0);
    // A password set for someone must be changed at sign-in: the list says so, as the Users page does (trial22b).
    const listed = JSON.parse((await rollcall(["users", "list", "--json"])).stdout) as Array<{ email: string; must_change_password: boolean }>;
    expect(listed.map((u) => [u.email, u.must_change_password])).toEqual([["admin@school.example", false], ["gov@school.example", true]]);
    expect((await rollcall(["users", "list"])).stdout).toMatch(/gov@school\.example.*active; to choose own password/);
    const rows = await withConnection(db, (c) =>
      queryRows<{ actor: string; role: string; action: string; target: string; detail: string; ip: string }>(
        c,
        "SELECT actor, role, action, target, detail, ip FROM audit_log ORDER BY id",
      ),
    );
    await closeAllInstances();
    // Without ROLLCALL_USER or USER (cron, CI), the account's own name.
    const who = process.env.ROLLCALL_USER ?? process.env.USER ?? os.userInfo().username;
    expect(rows).toEqual([
      // The school's first entry, its `rollcall init` (beforeAll).
      { actor: who, role: "CLI", action: "settings_change", target: "school_name", detail: 'rollcall init: empty school "Test Primary" created', ip: "cli" },
      { actor: who, role: "CLI", action: "user_add", target: "admin@school.example", detail: "added Sam Admin as Administrator", ip: "cli" },
      { actor: who, role: "CLI", action: "user_add", target: "gov@school.example", detail: "added Gill Gov as Governor", ip: "cli" },
      { actor: who, role: "CLI", action: "role_change", target: "gov@school.example", detail: "role: Governor → Senior leadership team", ip: "cli" },
      { actor: who, role: "CLI", action: "user_change", target: "gov@school.example", detail: "disabled (Senior leadership team); sessions ended", ip: "cli" },
      { actor: "Sam at the keyboard", role: "CLI", action: "user_change", target: "gov@school.example", detail: "enabled (Senior leadership team)", ip: "cli" },
      { actor: "Sam at the keyboard", role: "CLI", action: "user_change", target: "gov@school.example", detail: "password reset (Senior leadership team); sessions ended; must change it at sign-in", ip: "cli" },
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/passphrase|twelve chars/);
  });

  // A person at a terminal: `script` gives the command a pseudo-terminal (util-linux, on Debian).
  it.skipIf(!fs.existsSync("/usr/bin/script"))("reads a password typed at a terminal without showing it", async () => {
    const typed = "typed at the keyboard";
    const command = [process.execPath, BIN, "users", "add", "--email", "tty@school.example", "--name", "Terry Tty", "--role", "slt", "--db", db].map((arg) => `'${arg}'`).join(" ");
    const shown = await new Promise<string>((resolve) => {
      const env = { ...process.env };
      delete env.ROLLCALL_PASSWORD;
      const child = execFile("/usr/bin/script", ["-qec", command, "/dev/null"], { env }, (_error, stdout) => resolve(stdout));
      // Typed once the prompt is on the screen, as a person would (on a loaded machine the
      // command can take many seconds to start); Enter is a carriage return at a terminal.
      let output = "";
      let typedYet = false;
      child.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString("utf8");
        if (!typedYet && output.includes("then Enter:")) {
          typedYet = true;
          child.stdin?.write(`${typed}\r`);
        }
        if (output.includes("Added ")) child.stdin?.end();
      });
    });
    expect(shown).toContain("Password (at least 12 characters), then Enter:");
    expect(shown).toContain("Added Terry Tty <tty@school.example>");
    expect(shown).not.toContain(typed);
    const [user] = await withConnection(db, (c) => queryRows<{ password_hash: string }>(c, "SELECT password_hash FROM users WHERE email = 'tty@school.example'"));
    await closeAllInstances();
    expect(await verifyPassword(typed, user.password_hash)).toBe(true);
  });
  it("lists and clears a sign-in lockout (unlock --email) with the server stopped, on the audit trail", async () => {
    // The admin mistyped six times from the school's address: locked from it.
    await withConnection(db, async (c) => {
      for (let i = 0; i < 6; i++) await signIn(c, { email: "admin@school.example", password: "not the password", address: "203.0.113.10" });
      expect((await signIn(c, { email: "admin@school.example", password: "twelve chars!", address: "203.0.113.10" })).outcome).toBe("locked");
    });
    await closeAllInstances();
    const listed = JSON.parse((await rollcall(["users", "lockouts", "--json"])).stdout) as Array<{ email: string; address: string }>;
    expect(listed).toEqual([expect.objectContaining({ email: "admin@school.example", address: "203.0.113.10", failures: 5 })]);
    expect((await rollcall(["users", "unlock"])).code).toBe(2);
    const unlocked = await rollcall(["users", "unlock", "--email", "Admin@School.example", "--user", "Sam at the keyboard"]);
    expect(unlocked).toMatchObject({ code: 0, stderr: "" });
    expect(unlocked.stdout).toContain("Cleared 5 failed sign-ins for admin@school.example");
    expect((await rollcall(["users", "lockouts"])).stdout).toBe("No sign-in is locked out.\n");
    const [signedIn, audit] = await withConnection(db, async (c) => [
      (await signIn(c, { email: "admin@school.example", password: "twelve chars!", address: "203.0.113.10" })).outcome,
      await queryRows<{ actor: string; target: string; detail: string; ip: string }>(c, "SELECT actor, target, detail, ip FROM audit_log WHERE action = 'sign_in_unlock'"),
    ]);
    await closeAllInstances();
    expect(signedIn).toBe("signed_in");
    expect(audit).toEqual([
      { actor: "Sam at the keyboard", target: "admin@school.example", detail: "cleared 5 failed sign-ins for admin@school.example from every address", ip: "cli" },
    ]);
  });
});
