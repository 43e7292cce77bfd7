/**
 * Every CLI command, in the order `benchlab --help` lists them: the path of data (ingest, then what ingest stored,
 * rejected and corrected, any read-only query), scoring, the judge audit, freezing a snapshot, then the fixture check. Add a command here and in its own file.
 */
import type {Command} from "commander";
import {register as registerIngest} from "./ingest.ts";
import {register as registerBatches} from "./batches.ts";
import {register as registerQuarantine} from "./quarantine.ts";
import {register as registerCorrections} from "./corrections.ts";
import {register as registerSql} from "./sql.ts";
import {register as registerScorers} from "./scorers.ts";
import {register as registerScore} from "./score.ts";
import {register as registerAuditJudge} from "./audit-judge.ts";
import {register as registerSnapshot} from "./snapshot.ts";
import {register as registerCheckFixtures} from "./check-fixtures.ts";

export const COMMANDS: ((program: Command) => void)[] = [
  registerIngest,
  registerBatches,
  registerQuarantine,
  registerCorrections,
  registerSql,
  registerScorers,
  registerScore,
  registerAuditJudge,
  registerSnapshot,
  registerCheckFixtures
];
