import {describe, expect, it} from "vitest";
import state from "../../scorers/state.ts";
import trajectory from "../../scorers/trajectory.ts";
import {runScoring} from "../../data-loaders/scoring/run.ts";
import type {TrajectoryStep} from "../../src/lib/schema.ts";
import {insertRecords, tempWarehouse} from "./records.ts";
import {score} from "./score-helper.ts";

// A refund task: the goal is the order refunded; the account's address must not change.
const initial = {order: {id: "W1", status: "delivered", refund: null}, account: {address: "1 Main St", balance: 10.0}, log: {updated: "t0"}};
const refunded = {order: {id: "W1", status: "refunded", refund: 25.0}, account: {address: "1 Main St", balance: 10.0}, log: {updated: "t1"}};
const goal = {"/order/status": "refunded", "/order/refund": 25};

describe("state scorer", () => {
  it("passes when the goal paths hold and nothing else changed (ignoring listed paths)", async () => {
    expect(await score(state, {initial_state: initial, final_state: refunded}, {goal, ignore: ["/log"]})).toMatchObject({value: 1, passed: true, violations: []});
  });

  it("reports a change outside the goal as a violation (did no harm)", async () => {
    const r = await score(state, {initial_state: initial, final_state: refunded}, {goal});
    expect(r).toMatchObject({value: 1, passed: false});
    expect(r.violations).toEqual([{rule: "no-harm", step: null, message: '/log/updated changed from "t0" to "t1" outside the goal'}]);
    const harmful = {...refunded, account: {address: "2 Side St", balance: 10.0}};
    const h = await score(state, {initial_state: initial, final_state: harmful}, {goal, ignore: ["/log"]});
    expect(h.violations!.map((v) => v.message)).toEqual(['/account/address changed from "1 Main St" to "2 Side St" outside the goal']);
  });

  it("a goal that fills an empty container is no harm; anything else put there is", async () => {
    const empty = {cart: [], owner: "ann"};
    expect(await score(state, {initial_state: empty, final_state: {cart: ["apple"], owner: "ann"}}, {goal: {"/cart/0": "apple"}})).toMatchObject({passed: true, violations: []});
    expect(await score(state, {initial_state: {}, final_state: {x: 1}}, {goal: {"/x": 1}})).toMatchObject({passed: true, violations: []});
    const extra = await score(state, {initial_state: empty, final_state: {cart: ["apple", "knife"], owner: "ann"}}, {goal: {"/cart/0": "apple"}});
    expect(extra).toMatchObject({value: 1, passed: false});
    expect(extra.violations!.map((v) => v.message)).toEqual(['/cart/1 changed from (absent) to "knife" outside the goal']);
    // An emptied container above an unmet goal is still checked leaf by leaf.
    const emptied = await score(state, {initial_state: {cart: ["apple", "pear"]}, final_state: {cart: []}}, {goal: {"/cart/0": "apple"}});
    expect(emptied.violations!.map((v) => v.message)).toEqual(['/cart/1 changed from "pear" to (absent) outside the goal']);
  });

  it("compares exactly, or with tolerance (numbers within abs/rel, strings case-insensitively)", async () => {
    const close = {...refunded, order: {id: "W1", status: "Refunded ", refund: 24.999}};
    const exact = await score(state, {initial_state: initial, final_state: close}, {goal, ignore: ["/log"]});
    expect(exact).toMatchObject({value: 0, passed: false, explanation: '0 of 2 goal paths met; /order/status is "Refunded ", goal "refunded"; /order/refund is 24.999, goal 25'});
    expect(await score(state, {initial_state: initial, final_state: close}, {goal, ignore: ["/log"], comparison: "tolerant", abs: 0.01})).toMatchObject({value: 1, passed: true});
  });

  it("tolerant applies at every depth of a goal value: strings in objects and arrays, numbers too; keys stay exact", async () => {
    const final_state = {user: {name: "bob ", tags: ["VIP", {level: "Gold"}], score: 9.999}};
    const goals = {"/user": {name: "Bob", tags: ["vip", {level: "gold"}], score: 10}};
    const tolerant = {goal: goals, doNoHarm: false, comparison: "tolerant", abs: 0.01};
    expect(await score(state, {final_state}, tolerant)).toMatchObject({value: 1, passed: true});
    expect(await score(state, {final_state}, {goal: {"/user/name": "BOB"}, doNoHarm: false, comparison: "tolerant"})).toMatchObject({passed: true});
    expect(await score(state, {final_state}, {...tolerant, comparison: "exact"})).toMatchObject({value: 0, passed: false});
    expect(await score(state, {final_state}, {...tolerant, goal: {"/user": {...goals["/user"], name: "Bobby"}}})).toMatchObject({passed: false});
    expect(await score(state, {final_state: {user: {Name: "Bob"}}}, {goal: {"/user": {name: "Bob"}}, doNoHarm: false, comparison: "tolerant"})).toMatchObject({passed: false});
  });

  it("reads the goal from the target, and errors clearly on missing states", async () => {
    expect(await score(state, {initial_state: initial, final_state: refunded, target: JSON.stringify(goal)}, {ignore: ["/log"]})).toMatchObject({passed: true});
    expect(await score(state, {final_state: refunded, target: JSON.stringify(goal)})).toMatchObject({error: expect.stringMatching(/no initial_state .* doNoHarm: false/)});
    expect(await score(state, {final_state: refunded, target: JSON.stringify(goal)}, {doNoHarm: false})).toMatchObject({passed: true});
    expect(await score(state, {final_state: refunded, target: '{"order": 1}'}, {doNoHarm: false})).toMatchObject({error: expect.stringMatching(/goal key "order" .* not a JSON Pointer/)});
  });
});

const steps: TrajectoryStep[] = [
  {actor: "user", content: "I want a refund for order W1"},
  {actor: "agent", tool: "get_order", arguments: {id: "W1"}},
  {actor: "tool", content: '{"status": "delivered"}'},
  {actor: "agent", tool: "refund", arguments: {id: "W1", amount: 25}},
  {actor: "tool", content: "ok"},
  {actor: "agent", content: "Shall I refund 25 to your card? Please confirm."},
  {actor: "user", content: "Yes, please go ahead."},
  {actor: "agent", tool: "get_order", arguments: {id: "W1"}},
  {actor: "agent", tool: "get_order", arguments: {id: "W1"}}
];

describe("trajectory scorer", () => {
  it("checks each rule and reports violations with their step index", async () => {
    const rules = [
      {type: "must-call", actor: "agent", tool: "refund", args: {id: "W1", amount: 25}},
      {type: "must-not-call", tool: "delete_account"},
      {type: "order", id: "confirm-before-refund", before: {actor: "user", content: "(?i)\\byes\\b"}, after: {tool: "refund"}},
      {type: "max-steps", max: 6, actor: "agent"},
      {type: "no-repeat", tool: "get_order"}
    ];
    const r = await score(trajectory, {trajectory: steps}, {rules});
    expect(r).toMatchObject({passed: false, value: 3 / 5});
    expect(r.violations).toEqual([
      {rule: "confirm-before-refund", step: 3, message: "step 3 (any actor refund(…)) comes before any user text /(?i)\\byes\\b/"},
      {rule: "no-repeat get_order", step: 7, message: 'step 7 repeats agent get_order({"id":"W1"}) first made at step 1'},
      {rule: "no-repeat get_order", step: 8, message: 'step 8 repeats agent get_order({"id":"W1"}) first made at step 1'}
    ]);
  });

  it("finds must-not-call steps, step limits and back-to-back repeats", async () => {
    const r = await score(trajectory, {trajectory: steps}, {rules: [{type: "must-not-call", actor: "agent", tool: "refund"}, {type: "max-steps", max: 4}, {type: "no-repeat", consecutive: true}]});
    expect(r.violations).toEqual([
      {rule: "must-not-call agent refund(…)", step: 3, message: 'step 3 is agent refund({"id":"W1","amount":25}), which is not allowed'},
      {rule: "max-steps 4", step: 4, message: "9 steps, at most 4 allowed; step 4 is the first over"},
      {rule: "no-repeat consecutive", step: 8, message: 'step 8 repeats agent get_order({"id":"W1"})'}
    ]);
  });

  // An OpenAI-style log: each tool reply (role "tool") is named after the tool it answers.
  const openai: TrajectoryStep[] = [
    {actor: "user", content: "Weather in Paris and in Rome? Then close my account."},
    {actor: "agent", tool: "get_weather", arguments: {city: "Paris"}},
    {actor: "tool", tool: "get_weather", content: "18C"},
    {actor: "agent", tool: "get_weather", arguments: {city: "Rome"}},
    {actor: "tool", tool: "get_weather", content: "18C"},
    {actor: "agent", tool: "search", arguments: {q: "close account"}},
    {actor: "tool", tool: "search", content: "no results"},
    {actor: "agent", tool: "search", arguments: {q: "close account"}},
    {actor: "tool", tool: "search", content: "no results"},
    {actor: "agent", tool: "delete_account", arguments: {}},
    {actor: "tool", tool: "delete_account", content: "deleted"}
  ];

  it("no-repeat counts calls, not the tools' replies: a repeated reply is no repeat, and a reply between two identical calls does not hide one", async () => {
    for (const consecutive of [false, true]) {
      const r = await score(trajectory, {trajectory: openai}, {rules: [{type: "no-repeat", consecutive}]});
      expect(r.violations).toEqual([
        {rule: `no-repeat${consecutive ? " consecutive" : ""}`, step: 7, message: `step 7 repeats agent search({"q":"close account"})${consecutive ? "" : " first made at step 5"}`}
      ]);
    }
    expect((await score(trajectory, {trajectory: openai}, {rules: [{type: "no-repeat", tool: "get_weather"}]})).violations).toEqual([]);
    // A user's turn between two identical calls breaks a consecutive run; a reply does not.
    const broken = [...openai.slice(0, 7), {actor: "user" as const, content: "try again"}, ...openai.slice(7)];
    expect((await score(trajectory, {trajectory: broken}, {rules: [{type: "no-repeat", consecutive: true}]})).violations).toEqual([]);
  });

  it("a matcher with a tool and no actor matches calls, not replies; actor tool asks for replies", async () => {
    const r = await score(trajectory, {trajectory: openai}, {rules: [{type: "must-not-call", tool: "delete_account"}, {type: "order", id: "confirm first", before: {content: "(?i)confirm"}, after: {tool: "search"}}]});
    expect(r.violations).toEqual([
      {rule: "must-not-call any actor delete_account(…)", step: 9, message: "step 9 is any actor delete_account({}), which is not allowed"},
      {rule: "confirm first", step: 5, message: "step 5 (any actor search(…)) comes before any any actor text /(?i)confirm/"},
      {rule: "confirm first", step: 7, message: "step 7 (any actor search(…)) comes before any any actor text /(?i)confirm/"}
    ]);
    expect(await score(trajectory, {trajectory: openai}, {rules: [{type: "must-call", actor: "tool", tool: "delete_account"}]})).toMatchObject({passed: true});
    // Replies alone are no call; near misses name calls only.
    const repliesOnly = openai.filter((s) => s.actor !== "agent");
    expect(await score(trajectory, {trajectory: repliesOnly}, {rules: [{type: "must-call", tool: "get_weather"}]})).toMatchObject({
      passed: false,
      violations: [{rule: "must-call any actor get_weather(…)", step: null, message: "no step matches any actor get_weather(…)"}]
    });
    expect((await score(trajectory, {trajectory: openai}, {rules: [{type: "must-call", tool: "get_weather", args: {city: "Oslo"}}]})).violations![0].message).toBe(
      'no step matches any actor get_weather({"city":"Oslo"}); near misses: step 1: agent get_weather({"city":"Paris"}), step 3: agent get_weather({"city":"Rome"})'
    );
  });

  it("compares only compareArgs when given ([] = tool name only), as tau2 does", async () => {
    const rule = {type: "must-call", tool: "refund", args: {id: "W1", amount: 30}};
    expect(await score(trajectory, {trajectory: steps}, {rules: [rule]})).toMatchObject({passed: false});
    expect(await score(trajectory, {trajectory: steps}, {rules: [{...rule, compareArgs: ["id"]}]})).toMatchObject({passed: true});
    expect(await score(trajectory, {trajectory: steps}, {rules: [{...rule, compareArgs: []}]})).toMatchObject({passed: true});
  });

  it("validates rules as params: unknown rule types and bad patterns name the field", async () => {
    await expect(score(trajectory, {trajectory: steps}, {rules: [{type: "must-maybe"}]})).rejects.toThrow(/scorer "trajectory": invalid params: rules\.0\.type: /);
    await expect(score(trajectory, {trajectory: steps}, {rules: [{type: "must-call", content: "(a"}]})).rejects.toThrow(/rules\.0\.content: not a valid RE2 pattern/);
    await expect(score(trajectory, {trajectory: steps}, {})).rejects.toThrow(/rules: give at least one rule, or set rulesFromTarget/);
  });

  it("a record can pass on state and fail on trajectory; a run stores both results", async () => {
    const wh = await tempWarehouse();
    try {
      await insertRecords(wh, [{benchmark: "shop", item_id: "refund-1", model: "m", run_id: "r1", passed: true, initial_state: initial, final_state: refunded, trajectory: steps}]);
      const s = await runScoring(wh, state, {goal, ignore: ["/log"]});
      const t = await runScoring(wh, trajectory, {rules: [{type: "order", before: {actor: "user", content: "(?i)yes"}, after: {tool: "refund"}}]});
      expect([s.scored, t.scored]).toEqual([1, 1]);
      const rows = (await wh.connection.runAndReadAll("SELECT scorer, scorer_kind, passed, violations FROM scores ORDER BY scorer")).getRowObjectsJson();
      expect(rows).toEqual([
        {scorer: "state", scorer_kind: "state", passed: true, violations: "[]"},
        {scorer: "trajectory", scorer_kind: "trajectory", passed: false, violations: expect.stringContaining('"step":3')}
      ]);
    } finally {
      wh.close();
    }
  });
});
