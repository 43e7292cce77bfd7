import {mkdtempSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {afterAll, describe, expect, it} from "vitest";
import {checkFixtureFile} from "../../data-loaders/commands/check-fixtures.ts";

// Every golden fixture copied from ../shared/golden (see test/fixtures/golden/SOURCE.md); every case must pass.
const dir = fileURLToPath(new URL("../fixtures/golden/", import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

describe("benchlab check-fixtures on the shared golden set", () => {
  it("finds the seven fixture families", () => {
    expect(files).toEqual(["agreement.json", "bootstrap.json", "discrimination.json", "irt_2pl.json", "paired.json", "pass_at_k.json", "proportion.json"]);
  });
  for (const file of files) {
    describe(file, () => {
      for (const result of checkFixtureFile(dir + file)) {
        it(`${result.name} (${result.compared.length} keys)`, () => {
          expect(result.problems).toEqual([]);
          expect(result.compared.length).toBeGreaterThan(0);
        });
      }
    });
  }
});

describe("check-fixtures on a file that is not a fixture, or checks nothing", () => {
  const scratch = mkdtempSync(join(tmpdir(), "benchlab-fixtures-"));
  afterAll(() => rmSync(scratch, {recursive: true, force: true}));
  const write = (name: string, text: string) => {
    writeFileSync(join(scratch, name), text);
    return join(scratch, name);
  };
  it("refuses it, naming the file, rather than report 0 passed", () => {
    expect(() => checkFixtureFile(write("empty.json", `{"cases": []}`))).toThrow(/empty\.json: "cases" is empty, so nothing was checked/);
    expect(() => checkFixtureFile(write("null.json", "null"))).toThrow(/null\.json: field "cases" is missing or not a list/);
    expect(() => checkFixtureFile(write("bad.json", "{"))).toThrow(/bad\.json: cannot read a JSON fixture/);
  });
});
