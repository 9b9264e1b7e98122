/**
 * Where a CLI command is running: in its own process (the usual case) or inside the
 * dashboard's server on behalf of a CLI that found the database locked (analytics/cli/remote.ts).
 * Kept in AsyncLocalStorage so a command run inside the server sees its caller's user name
 * and writes its output to its caller, not to the server's console.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface CliContext {
  /** True when the server runs the command for a CLI in another process. */
  remote: boolean;
  /** The caller's values of the environment variables a command may read (ROLLCALL_USER, USER). */
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const cliContext = new AsyncLocalStorage<CliContext>();

/** Relayed commands running now (runRelayed). */
let relayedRunning = 0;

/** Callers whose relayed command has ended (runRelayed): their context answers nothing since. */
const endedCallers = new WeakSet<CliContext>();

/**
 * The caller of the command running here: the CLI in another process whose command the server
 * runs (a live runRelayed, or a test's cliContext.run), or undefined for this process's own
 * command line and for the server's own work. A caller whose command has ended is no longer
 * anybody's: AsyncLocalStorage keeps a store on everything its run created, so work a command
 * left behind would otherwise read its caller again whenever another command switched the
 * context back on.
 */
export function cliCaller(): CliContext | undefined {
  const context = cliContext.getStore();
  return context && !endedCallers.has(context) ? context : undefined;
}

/**
 * Runs a command relayed from a CLI in another process (analytics/cli/remote.ts runForCaller)
 * with `context` as its caller's, and resolves or rejects as `command` does. When it ends, its
 * caller ends with it (cliCaller answers undefined to anything it left running), and when the
 * last relayed command running ends the context is switched off (AsyncLocalStorage.disable):
 * the first `run` switches on Node 20's async hooks for the whole process, so every promise the
 * server makes afterwards pays them (2 million awaits: 0.14 s before a run, 0.45 s after it,
 * 0.11 s once disabled, measured on this machine), a dashboard slowed for the rest of its life
 * by one `rollcall import` run while it was up. A command still running when another ends
 * keeps its caller.
 */
export async function runRelayed<T>(context: CliContext, command: () => Promise<T>): Promise<T> {
  // Its own object, so that ending it ends this command's caller and no other's.
  const caller: CliContext = { ...context };
  relayedRunning += 1;
  try {
    return await cliContext.run(caller, command);
  } finally {
    endedCallers.add(caller);
    relayedRunning -= 1;
    if (relayedRunning === 0) cliContext.disable();
  }
}

/** An environment variable as the CLI's caller has it. */
export function cliEnv(name: string): string | undefined {
  const context = cliCaller();
  return context ? context.env[name] : process.env[name];
}

/** Where a CLI command comes from, for the audit trail's "from where". */
export function cliOrigin(): string {
  return cliCaller()?.remote ? "cli via server" : "cli";
}

/** Writes to the caller's standard output (the server's relay, or this process's). */
export function cliOut(text: string): boolean {
  const context = cliCaller();
  if (context) {
    context.stdout(text);
    return true;
  }
  return process.stdout.write(text);
}

/** Writes to the caller's standard error. */
export function cliErr(text: string): boolean {
  const context = cliCaller();
  if (context) {
    context.stderr(text);
    return true;
  }
  return process.stderr.write(text);
}

/** True when the caller's standard error is a terminal (progress by default); never for a relayed command. */
export function cliIsTerminal(): boolean {
  return cliCaller() ? false : Boolean(process.stderr.isTTY);
}

let firstLine: Promise<string | undefined> | undefined;

/**
 * The first line of this process's standard input (a piped password), read once: a command
 * that reads it and then finds the database held by the dashboard sends the same line on to
 * the server (analytics/cli/index.ts). Undefined when nothing was piped.
 */
export function stdinWasRead(): boolean {
  return firstLine !== undefined;
}

export function stdinFirstLine(): Promise<string | undefined> {
  firstLine ??= process.stdin.isTTY ? typedLineUnechoed() : (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) {
      chunks.push(chunk as Buffer);
      if (Buffer.concat(chunks).includes(10)) break;
    }
    const line = Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0];
    return line === "" ? undefined : line;
  })();
  return firstLine;
}

/** What the CLI asks before reading a password typed at a terminal. */
export const PASSWORD_PROMPT = "Password (at least 12 characters), then Enter: ";

/**
 * The first line of standard input (stdinFirstLine), with `prompt` written to standard error
 * first when standard input is a terminal and nothing was read from it yet. Echo is turned off
 * before the prompt shows, so nothing typed once it is on the screen is echoed, however quickly
 * (a password typed straight after the prompt was shown when the prompt came first).
 */
export function promptedFirstLine(prompt: string): Promise<string | undefined> {
  const ask = !stdinWasRead() && process.stdin.isTTY;
  const line = stdinFirstLine();
  if (ask) cliErr(prompt);
  return line;
}

/**
 * A line typed at a terminal without echoing it (a password): raw mode, so the characters are
 * not shown; Backspace deletes, Enter ends the line, Ctrl-C or Ctrl-D abandons it (undefined).
 */
function typedLineUnechoed(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    let line = "";
    const finish = (value: string | undefined) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      resolve(value === "" ? undefined : value);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString("utf8")) {
        if (char === "\r" || char === "\n") return finish(line);
        if (char === "\u0003" || char === "\u0004") return finish(undefined);
        if (char === "\u007f" || char === "\b") line = line.slice(0, -1);
        else line += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onData);
  });
}
