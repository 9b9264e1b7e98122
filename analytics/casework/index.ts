/** Casework (issue 12): the policy as data, the rules, and the lists built from them. */
export * from "./rules.ts";
export * from "./policy.ts";
export * from "./interventions-list.ts";
export * from "./compute.ts";
export * from "./lists.ts";
export * from "./list-columns.ts";
