/** Test helper: validate params against the scorer's schema, then score one record as a scoring run would. */
import {parseScorerParams, scoreRecord, type Score, type ScorableRecord, type Scorer} from "../../src/lib/scorer.ts";

export async function score(scorer: Scorer, record: ScorableRecord, params: unknown = {}): Promise<Score> {
  return scoreRecord(scorer, record, parseScorerParams(scorer, params));
}

/** About 10 MB of ordinary prose, ending with `tail`: large enough to expose quadratic code. */
export function tenMegabytes(tail: string): string {
  const unit = "The quick brown fox jumps over the lazy dog, 12 times. ";
  return unit.repeat(Math.ceil(10_000_000 / unit.length)) + tail;
}
