/** Every CLI command, in the order `benchlab --help` lists them. Add a command here and in its own file. */
import type {Command} from "commander";

export const COMMANDS: ((program: Command) => void)[] = [];
import {register as registerCheckFixtures} from "./check-fixtures.ts";
COMMANDS.push(registerCheckFixtures);
import {register as registerAuditJudge} from "./audit-judge.ts";
COMMANDS.push(registerAuditJudge);
import {register as registerScorers} from "./scorers.ts";
COMMANDS.push(registerScorers);
import {register as registerScore} from "./score.ts";
COMMANDS.push(registerScore);
import {register as registerIngest} from "./ingest.ts";
COMMANDS.push(registerIngest);
import {register as registerBatches} from "./batches.ts";
COMMANDS.push(registerBatches);
import {register as registerQuarantine} from "./quarantine.ts";
COMMANDS.push(registerQuarantine);
import {register as registerCorrections} from "./corrections.ts";
COMMANDS.push(registerCorrections);
