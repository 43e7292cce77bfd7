/** Public API of benchlab's statistics core: pure, browser-safe functions. One concept per module. */
export * from "./passk.ts";
