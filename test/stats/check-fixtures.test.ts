import {readdirSync} from "node:fs";
import {fileURLToPath} from "node:url";
import {describe, expect, it} from "vitest";
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
