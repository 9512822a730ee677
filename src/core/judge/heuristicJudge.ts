// A deterministic stand-in judge: reads a judge request (the "Judge: <task>" line, the ticket and the
// answer), works out the correct value with the keyword heuristics the demo and fake providers answer
// with, and scores the answer by the rubric. With `disagreeRate` > 0 it disagrees with the rubric on
// that share of answers, chosen by a hash of (seed, task, ticket, answer) — the same answer always
// gets the same verdict — so the demo and the tests show real, controllable judge-vs-human figures.
// Its verdicts are always consistent with the rubric (they pass parseVerdict).
import { createHash } from 'node:crypto';
import { isTaskId, SEVERITIES, type TaskId } from '#shared/tasks.ts';
import { heuristicAnswer } from '../providers/demo/heuristicAnswers.ts';
import { sameAnswer, severityScore } from '../review/rubric.ts';
import { canonicalProduct } from '../catalog.ts';

export interface HeuristicJudgeOptions {
  /** Share of answers (0–1) on which the verdict departs from the rubric's. Default 0. */
  disagreeRate?: number;
  seed?: number;
}

export interface JudgeRequestParts {
  task: TaskId;
  ticket: string;
  answer: unknown;
}

/** The task, ticket and answer of a judge request, or null when the messages are not one. */
export function readJudgeRequest(messages: ReadonlyArray<{ role?: unknown; content?: unknown }>): JudgeRequestParts | null {
  const text = (m: { content?: unknown }): string => (typeof m.content === 'string' ? m.content : '');
  const system = messages
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map(text)
    .join('\n');
  const task = /^Judge:\s*([a-z_]+)\s*$/m.exec(system)?.[1];
  if (!task || !isTaskId(task)) return null;
  const user = [...messages].reverse().find((m) => m.role === 'user');
  const body = user ? text(user) : '';
  const ticket = /<ticket>\n?([\s\S]*?)\n?<\/ticket>/.exec(body)?.[1] ?? '';
  const answerText = [...body.matchAll(/<answer>\n?([\s\S]*?)\n?<\/answer>/g)].at(-1)?.[1] ?? 'null';
  let answer: unknown = null;
  try {
    answer = JSON.parse(answerText) as unknown;
  } catch {
    answer = answerText;
  }
  return { task, ticket, answer };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const mentions = (list: readonly string[], d: string): boolean => {
  const k = d.toLowerCase();
  return list.some((x) => x.toLowerCase().includes(k) || k.includes(x.toLowerCase()));
};

/** Whether this answer is one the judge disagrees on (deterministic per seed, task, ticket and answer). */
function disagrees(o: HeuristicJudgeOptions, p: JudgeRequestParts): boolean {
  const rate = o.disagreeRate ?? 0;
  if (rate <= 0) return false;
  const h = createHash('sha256')
    .update(`${o.seed ?? 0}\n${p.task}\n${p.ticket}\n${JSON.stringify(p.answer)}`)
    .digest();
  return h.readUInt32BE(0) / 2 ** 32 < rate;
}

/** The verdict object (the judge's JSON) for a judge request. */
export function heuristicVerdict(p: JudgeRequestParts, o: HeuristicJudgeOptions = {}): Record<string, unknown> {
  const flip = disagrees(o, p);
  const platform = (heuristicAnswer('platform', p.ticket) as { platform: string | null }).platform;
  switch (p.task) {
    case 'technical_details': {
      const expected = (heuristicAnswer('technical_details', p.ticket, { platform }) as { present: string[] }).present;
      const present = strings((p.answer as { present?: unknown } | null)?.present);
      if (!flip) {
        const missing = expected.filter((d) => !mentions(present, d));
        const score = expected.length === 0 ? (present.length === 0 ? 1 : 0) : 1 - missing.length / expected.length;
        return {
          reasoning: `The ticket carries ${expected.length} technical detail(s); the answer misses ${missing.length}.`,
          expected,
          missing,
          score,
        };
      }
      // Disagreeing: the judge reads the ticket differently.
      if (present.length === 0)
        return {
          reasoning: 'The ticket names an error the answer leaves out.',
          expected: ['the error message'],
          missing: ['the error message'],
          score: 0,
        };
      const missing = expected.filter((d) => !mentions(present, d));
      if (missing.length > 0 || expected.length === 0)
        return { reasoning: 'The answer covers what the ticket carries.', expected: present, missing: [], score: 1 };
      return {
        reasoning: 'The answer leaves out one of the ticket’s details.',
        expected: [...expected, 'the exact time it started'],
        missing: ['the exact time it started'],
        score: 1 - 1 / (expected.length + 1),
      };
    }
    case 'severity': {
      const correct = (heuristicAnswer('severity', p.ticket) as { severity: string }).severity as (typeof SEVERITIES)[number];
      let claim = correct;
      if (flip) {
        // One level away from the answer's own level: half a point where the rubric gave 1, else a full point off.
        const i = SEVERITIES.indexOf(String(p.answer) as (typeof SEVERITIES)[number]);
        const j = i < 0 ? 0 : severityScore(p.answer, correct) === 1 ? (i + 1 < SEVERITIES.length ? i + 1 : i - 1) : i;
        claim = SEVERITIES[j]!;
      }
      return { reasoning: `The impact described is "${claim}".`, correct_value: claim, score: severityScore(p.answer, claim) };
    }
    default: {
      const task = p.task;
      const wire = heuristicAnswer(task, p.ticket, { platform }) as Record<string, unknown>;
      // A product is compared by its catalog name, as the rubric check folds it ("Google Kubernetes Engine" → "GKE").
      let correct: unknown =
        task === 'platform'
          ? wire.platform
          : task === 'product'
            ? canonicalProduct(platform, (wire.product as string | null) ?? null)
            : wire.asset_ids;
      if (flip) {
        if (sameAnswer(task, p.answer, correct)) {
          correct =
            task === 'platform'
              ? p.answer === 'gcp'
                ? 'aws'
                : 'gcp'
              : task === 'product'
                ? 'Another service'
                : [...strings(p.answer), 'id-the-answer-missed'];
        } else correct = p.answer;
      }
      const score = sameAnswer(task, p.answer, correct) ? 1 : 0;
      return {
        reasoning: score ? 'The answer matches what the ticket says.' : `The ticket points to ${JSON.stringify(correct)}.`,
        correct_value: correct,
        score,
      };
    }
  }
}
