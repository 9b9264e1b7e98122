import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Two projects: `unit` runs the analytics on real DuckDB files; `browser` runs real
 * Chromium against the built app serving the demo school (started once in its global
 * setup). Both run with `npm test`.
 */
export default defineConfig({
  // The app's own "~/" imports (remix.config.js / tsconfig paths), for unit tests of components.
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "app") } },
  test: {
    testTimeout: 120_000,
    // Building the demo school (with its year of interventions replayed through the ladder) on a loaded 2-core machine.
    hookTimeout: 600_000,
    pool: "forks",
    // A 2-core machine: two workers, DuckDB and Chromium each want a core.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/**/*.test.ts"], exclude: ["test/browser/**"], environment: "node" },
      },
      {
        extends: true,
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/setup/app-server.ts"],
          // One Chromium at a time against one server keeps timings honest on 2 cores.
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
