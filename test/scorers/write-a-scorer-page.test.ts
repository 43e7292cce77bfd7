/**
 * The "Write a scorer" page shows the example plugin and its test verbatim, and the plugin runs from its folder; its
 * judge example, copied from the page into a folder of its own, runs through `benchlab score` against a local fake
 * OpenAI-compatible server (test/judge/fake-openai-server.ts), exactly as the page says to run it.
 */
import {mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {ScorerRegistry} from "../../data-loaders/scoring/registry.ts";
import {openWarehouse} from "../../data-loaders/warehouse.ts";
import {benchlabInProcess as cli} from "../cli.ts";
import {dataOf, startFakeOpenAI, type FakeServer} from "../judge/fake-openai-server.ts";
import {insertRecords, tempDbPath} from "./records.ts";

const root = join(import.meta.dirname, "../..");
const page = readFileSync(join(root, "src/write-a-scorer.md"), "utf8");
// `run=false`: Framework would otherwise execute a ts block in the browser.
const tsBlocks = [...page.matchAll(/```ts run=false\n([\s\S]*?)```/g)].map((m) => m[1]);
const judgeBlock = tsBlocks.find((b) => b.includes('kind: "judge"'));

function pluginDir(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), "benchlab-page-judge-"));
  writeFileSync(join(dir, "polite-judge.ts"), source);
  return dir;
}

let server: FakeServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
  process.exitCode = undefined;
});

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

  it("the judge example, copied from the page, scores through `benchlab score` and a judge endpoint, with the flags the page names", async () => {
    expect(judgeBlock).toBeDefined();
    const db = tempDbPath();
    const wh = await openWarehouse(db);
    await insertRecords(wh, [
      {benchmark: "support", item_id: "1", model: "m", run_id: "r", output: "Thank you for asking! Please restart the router.", target: "restart the router"},
      {benchmark: "support", item_id: "2", model: "m", run_id: "r", output: "Restart it yourself.", target: "restart the router"},
      {benchmark: "support", item_id: "3", model: "m", run_id: "r", output: null, passed: false, target: "restart the router"}
    ]);
    wh.close();
    // The fake judge: polite when the output says please or thanks (read from the delimited data of the prompt).
    server = await startFakeOpenAI((body) => {
      const polite = /please|thank/i.test(dataOf(body).output ?? "");
      return {content: JSON.stringify({reasoning: polite ? "polite" : "curt", verdict: polite ? "pass" : "fail"})};
    });
    const dir = pluginDir(judgeBlock!);
    const flags = ["--judge-base-url", server.baseURL, "--judge-model", "fake-judge", "--max-tokens", "64", "--no-structured-output"];
    const printed = await cli(["score", "--db", db, "--scorer", "polite-judge", "--scorers-dir", dir, ...flags]);
    expect(printed).toMatch(/polite-judge@1\.0\.0 \(judge, params sha256 \w+\): scored 3 records, skipped 0 already scored, 0 errors/);
    // The record without output never reaches the judge; the flags shape every request.
    expect(server.requests).toHaveLength(2);
    for (const request of server.requests) {
      expect(request).toMatchObject({model: "fake-judge", max_tokens: 64});
      expect(request.response_format).toBeUndefined();
      expect(request.messages.at(-1)!.content).toContain("The output is polite to the person it answers.");
    }
    const stored = await openWarehouse(db, {existing: true});
    const rows = (await stored.connection.runAndReadAll(
      `SELECT r.item_id, s.value, s.passed, s.error, s.trust, s.params::VARCHAR AS params FROM scores s JOIN records_latest r USING (key_hash) ORDER BY r.item_id`
    )).getRowObjectsJS();
    stored.close();
    const params = '{"max_tokens":64,"model":"fake-judge","structured_output":false}';
    expect(rows).toEqual([
      {item_id: "1", value: 1, passed: true, error: null, trust: "unaudited", params},
      {item_id: "2", value: 0, passed: false, error: null, trust: "unaudited", params},
      {item_id: "3", value: 0, passed: false, error: null, trust: "unaudited", params}
    ]);
  });

  it("a judge plugin that leaves out a param the page says to declare is refused, naming it", async () => {
    server = await startFakeOpenAI(() => ({content: JSON.stringify({reasoning: "r", verdict: "pass"})}));
    const db = tempDbPath();
    const wh = await openWarehouse(db);
    await insertRecords(wh, [{benchmark: "support", item_id: "1", model: "m", run_id: "r", output: "Please.", target: "x"}]);
    wh.close();
    for (const [param, flag] of [["model", []], ["max_tokens", ["--max-tokens", "64"]], ["structured_output", ["--no-structured-output"]]] as const) {
      const line = judgeBlock!.split("\n").find((l) => l.trimStart().startsWith(`${param}: z.`));
      expect(line).toBeDefined();
      const dir = pluginDir(judgeBlock!.replace(`${line}\n`, "").replace(/,(\n\s*\}\),\n\s*async score)/, "$1"));
      await expect(cli(["score", "--db", db, "--scorer", "polite-judge", "--scorers-dir", dir, "--judge-base-url", server.baseURL, "--judge-model", "fake-judge", ...flag])).rejects.toThrow(
        new RegExp(`scorer "polite-judge": unknown param "${param}"`)
      );
    }
    expect(server.requests).toHaveLength(0);
  });
});
