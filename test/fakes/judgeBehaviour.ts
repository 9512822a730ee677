// The fake provider's judge behaviour (issue 17 §1): a request carrying the judge prompt's
// "Judge: <task>" line is answered with a JSON verdict derived from the prompt — the rubric applied
// to the answer against the keyword heuristics' reading of the ticket (src/core/judge/heuristicJudge.ts),
// deterministic, disagreeing with the rubric on a controllable share of answers. Kept in its own
// module so the server only asks it whether a request is a judge's and what to answer.
import { heuristicVerdict, readJudgeRequest, type HeuristicJudgeOptions } from '#core/judge/heuristicJudge.ts';

export type FakeJudgeOptions = HeuristicJudgeOptions;

/** The verdict text for a judge request, or undefined when the request is not one. */
export function judgeAnswer(messages: unknown, o: FakeJudgeOptions | null | undefined): string | undefined {
  if (!Array.isArray(messages)) return undefined;
  const parts = readJudgeRequest(messages as Array<{ role?: unknown; content?: unknown }>);
  if (!parts) return undefined;
  return JSON.stringify(heuristicVerdict(parts, o ?? {}));
}
