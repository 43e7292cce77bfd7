/**
 * Worker thread of judge-audit.ts: runs `auditJudge` (src/lib/judge/audit.ts, the code behind `benchlab
 * audit-judge`) on each AuditInput it is sent, with the options it was started with, and posts the report back.
 */
import {parentPort, workerData} from "node:worker_threads";
import {auditJudge, type AuditInput, type AuditOptions} from "../../../src/lib/judge/audit.ts";

const options = (workerData as {options: AuditOptions}).options;

parentPort!.on("message", ({index, input}: {index: number; input: AuditInput}) => {
  try {
    parentPort!.postMessage({index, report: auditJudge(input, options)});
  } catch (err) {
    parentPort!.postMessage({index, error: err instanceof Error ? err.message : String(err)});
  }
});
