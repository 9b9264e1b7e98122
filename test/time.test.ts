/**
 * Times in Europe/London with the zone shown (issue 13, case 15), on both sides of the clock
 * changes of 29 March and 25 October 2026; and no page or component formats a stored time
 * any other way (a guard over the app's source).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatLondon } from "../analytics/audit.ts";
import { londonDateTime, londonStamp } from "../analytics/time.ts";

describe("London times", () => {
  it("reads a stored UTC time as GMT in winter and BST in summer, across both clock changes", () => {
    expect(londonDateTime("2026-03-29 00:30:00")).toBe("29 March 2026, 00:30 GMT");
    expect(londonDateTime("2026-03-29 01:30:00")).toBe("29 March 2026, 02:30 BST");
    expect(londonDateTime("2026-10-25T00:30:00Z")).toBe("25 October 2026, 01:30 BST");
    expect(londonDateTime("2026-10-25T01:30")).toBe("25 October 2026, 01:30 GMT");
    // A summer evening in UTC is the next day in London.
    expect(londonDateTime(new Date("2026-07-01T23:30:00Z"))).toBe("2 July 2026, 00:30 BST");
    expect(londonDateTime("not a time")).toBe("not a time");
  });

  it("gives CSV files the same time in a sortable form", () => {
    expect(londonStamp("2026-03-29 01:30:00")).toBe("2026-03-29 02:30:00 BST");
    expect(londonStamp("2026-11-23 14:05:09")).toBe("2026-11-23 14:05:09 GMT");
    // The audit trail's formatter is this one.
    expect(formatLondon(new Date("2026-07-01T23:30:00Z"))).toBe(londonStamp("2026-07-01 23:30:00"));
  });

  it("is the only way the app prints a stored time (no UTC, no hand-sliced timestamps)", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.tsx?$/.test(entry.name)) {
          fs.readFileSync(file, "utf8")
            .split("\n")
            .forEach((line, i) => {
              if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
              if (/\bUTC\b|HH:mm|_at\.(?:slice|replace)\(|_at\.split\(/.test(line)) offenders.push(`${path.relative(".", file)}:${i + 1}: ${line.trim()}`);
            });
        }
      }
    };
    walk(path.resolve("app"));
    expect(offenders).toEqual([]);
  });
});
