/** Public API of benchlab's statistics core: pure, browser-safe functions. One concept per module. */
export * from "./passk.ts";
export * from "./canonical.ts";
export * from "./categories.ts";
export * from "./agreement.ts";
export * from "./multirater.ts";
export * from "./krippendorff.ts";
export * from "./rank-correlation.ts";
export * from "./quantile.ts";
export * from "./resample.ts";
export * from "./agreement-bootstrap.ts";
