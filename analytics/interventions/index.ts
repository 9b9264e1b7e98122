/** Interventions: recording, their effect, and the escalation ladder. */
export * from "./types.ts";
export * from "./store.ts";
export * from "./effect.ts";
export * from "./ladder.ts";
export * from "./ladder-policies.ts";
export * from "./policy.ts";
