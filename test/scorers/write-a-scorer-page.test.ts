/** The "Write a scorer" page shows the example plugin and its test verbatim, and the plugin runs from its folder. */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {ScorerRegistry} from "../../data-loaders/scoring/registry.ts";

const root = join(import.meta.dirname, "../..");
const page = readFileSync(join(root, "src/write-a-scorer.md"), "utf8");
// `run=false`: Framework would otherwise execute a ts block in the browser.
const tsBlocks = [...page.matchAll(/```ts run=false\n([\s\S]*?)```/g)].map((m) => m[1]);

describe("Write a scorer page", () => {
  it("shows examples/scorers/word-count.ts and its test exactly as they are in the repository", () => {
    expect(tsBlocks[0]).toBe(readFileSync(join(root, "examples/scorers/word-count.ts"), "utf8"));
    expect(tsBlocks[1]).toBe(readFileSync(join(root, "test/scorers/word-count.test.ts"), "utf8"));
  });

  it("the example is about 20 lines and loads as a plugin from its own folder", async () => {
    expect(tsBlocks[0].trim().split("\n").length).toBeLessThanOrEqual(22);
    const registry = await ScorerRegistry.discover([join(root, "examples/scorers")]);
    expect(registry.list().map((r) => `${r.scorer.name}@${r.scorer.version} ${r.scorer.kind}`)).toEqual(["word-count@1.0.0 deterministic"]);
  });
});
