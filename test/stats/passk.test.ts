import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {meanPassAtK, meanPassHatK, passAtK, passHatK} from "../../src/lib/stats/passk.ts";

const fixture = JSON.parse(readFileSync(new URL("../fixtures/golden/pass_at_k.json", import.meta.url), "utf8"));
const num = (v: unknown) => (v === "NaN" ? NaN : (v as number));

describe("pass@k and pass^k against pass_at_k.json", () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const k = c.params.k as number;
      const tasks = c.input.tasks as {n: number; c: number}[];
      tasks.forEach((t, i) => {
        const expAt = num(c.expected.per_task_pass_at_k[i]);
        const expHat = num(c.expected.per_task_pass_hat_k[i]);
        if (Number.isNaN(expAt)) expect(passAtK(t.n, t.c, k)).toBeNaN();
        else expect(Math.abs(passAtK(t.n, t.c, k) - expAt)).toBeLessThanOrEqual(1e-12);
        if (Number.isNaN(expHat)) expect(passHatK(t.n, t.c, k)).toBeNaN();
        else expect(Math.abs(passHatK(t.n, t.c, k) - expHat)).toBeLessThanOrEqual(1e-12);
      });
      if ("error" in c.expected) {
        expect(() => meanPassAtK(tasks, k)).toThrow(/exceeds/);
        expect(() => meanPassHatK(tasks, k)).toThrow(/exceeds/);
      } else {
        expect(Math.abs(meanPassAtK(tasks, k) - c.expected.mean_pass_at_k)).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(meanPassHatK(tasks, k) - c.expected.mean_pass_hat_k)).toBeLessThanOrEqual(1e-12);
      }
    });
  }
});

describe("pass@k properties", () => {
  const task = fc.integer({min: 1, max: 60}).chain((n) =>
    fc.record({n: fc.constant(n), c: fc.integer({min: 0, max: n}), k: fc.integer({min: 1, max: n})}),
  );
  it("pass^k <= c/n <= pass@k", () => {
    fc.assert(fc.property(task, ({n, c, k}) => {
      const hat = passHatK(n, c, k), at = passAtK(n, c, k);
      return hat <= c / n + 1e-12 && c / n <= at + 1e-12 && hat >= 0 && at <= 1;
    }));
  });
  it("k = 1 gives c/n for both", () => {
    fc.assert(fc.property(task, ({n, c}) => Math.abs(passAtK(n, c, 1) - c / n) < 1e-12 && Math.abs(passHatK(n, c, 1) - c / n) < 1e-12));
  });
  it("rejects impossible counts", () => {
    expect(() => passAtK(5, 6, 1)).toThrow(RangeError);
    expect(() => passHatK(5, 2, 0)).toThrow(RangeError);
  });
});
