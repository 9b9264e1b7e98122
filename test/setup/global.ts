/**
 * Vitest global setup. Browser tests need the built app serving the demo school;
 * that is started here once per run (see test/setup/app-server.ts) and torn down after.
 */
import type { TestProject } from "vitest/node";
import { startAppServer } from "./app-server.ts";

export default async function setup(project: TestProject) {
  const server = await startAppServer();
  project.provide("appUrl", server.url);
  project.provide("appDb", server.db);
  return async () => {
    await server.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    appUrl: string;
    appDb: string;
  }
}
