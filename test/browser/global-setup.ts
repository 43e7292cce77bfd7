/**
 * Vitest global setup: gives this `npm test` run an id, so browser tests in several files build the site once
 * per run (see ensureSite in site.ts) and never reuse a dist/ left from an earlier run. The build itself happens
 * only when a browser test asks for it, so running other test folders stays fast.
 */
import {randomUUID} from "node:crypto";
import type {TestProject} from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    benchlabRunId: string;
  }
}

export default function setup(project: TestProject): void {
  project.provide("benchlabRunId", randomUUID());
}
