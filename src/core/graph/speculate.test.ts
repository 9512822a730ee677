// Speculative execution against the loopback fake providers through the real SDKs: dependents
// start on the keyword guess; a right guess keeps them (the prompts are byte for byte the
// sequential ones, so the facts are the same), a wrong one cancels and discards them and runs
// them again on the model's platform, with the same facts as a sequential run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskResult, TicketResult } from '#shared/results.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { startFakeServer, type AnswerInfo, type FakeServer } from '#test/fakes/fakeProviderServer.ts';
import { createRuntime, type Runtime } from '../runtime.ts';
import { predictPlatform } from '../providers/demo/heuristicAnswers.ts';
import { triageTicket, type Assignment, type AttemptRecord } from './engine.ts';

const ASSIGN: Assignment = {
  platform: 'groq:openai/gpt-oss-120b',
  product: 'groq:openai/gpt-oss-20b',
  technical_details: 'groq:openai/gpt-oss-20b',
  asset_ids: 'groq:openai/gpt-oss-120b',
  severity: 'openai:gpt-4o',
};
const KEYS = { GROQ_API_KEY: 'gsk_SPECTEST-KEY00000000000000000000001', OPENAI_API_KEY: 'sk-SPECTEST-KEY000000000000000000000001' };
const S3 = { id: 'S1', text: 'Our S3 bucket acme-logs in account 123456789012 returns AccessDenied since 09:00 UTC; production is down.' };

let fake: FakeServer;
let rt: Runtime;
beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 5 });
  rt = await createRuntime({ env: { ...KEYS, GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL }, secretStore: null });
});
afterAll(() => fake.close());

interface Seen {
  task: TaskId;
  messages: string;
}

/** Runs one ticket, recording what reached the server per task and every attempt and published result. */
async function run(ticket: { id: string; text: string }, speculate: boolean, answer?: (i: AnswerInfo) => unknown) {
  const seen: Seen[] = [];
  fake.configure({
    answer: (i) => {
      if (i.task) seen.push({ task: i.task, messages: JSON.stringify(i.messages) });
      return answer?.(i);
    },
  });
  const attempts: AttemptRecord[] = [];
  const published: TaskResult[] = [];
  const order: string[] = [];
  const r = await triageTicket(rt.deps, ticket, ASSIGN, {
    speculate: speculate ? {} : null,
    onAttempt: (a) => {
      attempts.push(a);
      order.push(`attempt ${a.task}`);
    },
    onResult: (x) => {
      published.push(x);
      order.push(`result ${x.task}`);
    },
  });
  return { r, seen, attempts, published, order };
}

const facts = (r: TicketResult): Record<string, unknown> =>
  Object.fromEntries(TASK_IDS.map((t) => [t, [r.tasks[t].status, r.tasks[t].value]]));
const promptsOf = (seen: Seen[], task: TaskId): string[] => seen.filter((s) => s.task === task).map((s) => s.messages);

describe('speculative execution of the triage graph', () => {
  it('the keyword predictor guesses the platform of the S3 ticket', () => {
    expect(predictPlatform(S3.text)).toEqual({ value: 'aws', confidence: 1 });
  });

  it('a right guess: dependents start before the platform answers, their prompts are the sequential ones byte for byte, the facts identical', async () => {
    fake.configure({ latencyMs: (_m, task) => (task === 'platform' ? 120 : 10) });
    const seq = await run(S3, false);
    const spec = await run(S3, true);
    expect(facts(spec.r)).toEqual(facts(seq.r));
    expect(spec.r.tasks.platform.value).toBe('aws');
    for (const t of ['product', 'technical_details', 'asset_ids'] as TaskId[]) {
      // Each dependent was sent once, with exactly the bytes a sequential run sends.
      expect(promptsOf(spec.seen, t)).toEqual(promptsOf(seq.seen, t));
      expect(promptsOf(spec.seen, t)).toHaveLength(1);
      // …and it started before the platform's answer was in, on the guess.
      expect(spec.r.tasks[t].startedMs).toBeLessThan(spec.r.tasks.platform.endedMs);
      expect(spec.r.tasks[t].speculative).toBe(true);
      expect(spec.attempts.filter((a) => a.task === t).map((a) => a.speculation)).toEqual(['kept']);
    }
    // The sequential run's dependents waited for the platform.
    expect(seq.r.tasks.product.startedMs).toBeGreaterThanOrEqual(seq.r.tasks.platform.endedMs);
    expect(spec.attempts.filter((a) => a.speculation === 'discarded')).toEqual([]);
    expect(spec.attempts.filter((a) => a.task === 'platform' || a.task === 'severity').every((a) => a.speculation === undefined)).toBe(
      true,
    );
    // Each task published once; the speculation summary says what happened.
    expect(spec.published.map((p) => p.task).sort()).toEqual([...TASK_IDS].sort());
    expect(spec.r.speculation).toMatchObject({ speculativeRuns: 3, kept: 3, discarded: 0, discardedCalls: 0 });
    expect(spec.r.speculation!.guesses.filter((g) => g.used).map((g) => [g.task, g.hit])).toEqual([
      ['platform', true],
      ['product', true],
    ]);
  });

  it("a wrong guess: calls in flight are cancelled, finished ones discarded, the dependents run again on the model's platform with the facts of a sequential run", async () => {
    // The platform model says gcp where the keywords read aws. Asset ids answer before the
    // platform does (finished, then discarded); product and technical details are still in flight
    // (cancelled).
    fake.configure({ latencyMs: (_m, task) => (task === 'platform' ? 150 : task === 'asset_ids' ? 10 : task === 'severity' ? 10 : 600) });
    const gcp = (i: AnswerInfo): unknown => (i.task === 'platform' ? { platform: 'gcp' } : undefined);
    const seq = await run(S3, false, gcp);
    const spec = await run(S3, true, gcp);
    expect(facts(spec.r)).toEqual(facts(seq.r));
    expect(spec.r.tasks.platform.value).toBe('gcp');
    for (const t of ['product', 'technical_details', 'asset_ids'] as TaskId[]) {
      // What stands is the run on the real platform, the one a sequential run makes, sent after the platform's answer.
      const prompts = promptsOf(spec.seen, t);
      expect(prompts.at(-1)).toBe(promptsOf(seq.seen, t)[0]);
      expect(prompts.at(-1)).toContain('Platform: gcp');
      expect(spec.r.tasks[t].startedMs).toBeGreaterThanOrEqual(spec.r.tasks.platform.endedMs);
      expect(spec.r.tasks[t].speculative).toBeUndefined();
      // The speculative call was sent on the guess, recorded as discarded, its cost counted.
      const discarded = spec.attempts.filter((a) => a.task === t && a.speculation === 'discarded');
      expect(discarded).toHaveLength(1);
      expect(discarded[0]!.costUsd).toBeGreaterThan(0);
      expect(spec.attempts.filter((a) => a.task === t && a.speculation === undefined)).toHaveLength(1);
    }
    expect(promptsOf(spec.seen, 'product')[0]).toContain('Platform: aws');
    // In flight when the platform answered: cancelled, not waited for.
    const cancelled = spec.attempts
      .filter((a) => a.speculation === 'discarded' && a.error?.code === 'CANCELLED')
      .map((a) => a.task)
      .sort();
    expect(cancelled).toEqual(['product', 'technical_details']);
    // Finished before it: a complete answer, discarded all the same.
    expect(spec.attempts.find((a) => a.task === 'asset_ids' && a.speculation === 'discarded')!.error).toBeNull();
    // No discarded answer was ever published as a fact.
    expect(spec.published.map((p) => p.task).sort()).toEqual([...TASK_IDS].sort());
    expect(spec.r.speculation).toMatchObject({ speculativeRuns: 3, kept: 0, discarded: 3, discardedCalls: 3 });
    expect(spec.r.speculation!.discardedCostUsd).toBeGreaterThan(0);
    expect(spec.r.speculation!.guesses.find((g) => g.task === 'platform')).toMatchObject({ value: 'aws', used: true, hit: false });
  });

  it("a wrong product guess: technical details run again on the model's product, the platform level kept", async () => {
    fake.configure({ latencyMs: (_m, task) => (task === 'platform' ? 40 : task === 'product' ? 120 : 10) });
    const lambda = (i: AnswerInfo): unknown => (i.task === 'product' ? { product: 'AWS Lambda' } : undefined);
    const seq = await run(S3, false, lambda);
    const spec = await run(S3, true, lambda);
    expect(facts(spec.r)).toEqual(facts(seq.r));
    expect(spec.r.tasks.product.speculative).toBe(true);
    expect(spec.r.tasks.asset_ids.speculative).toBe(true);
    expect(spec.r.tasks.technical_details.speculative).toBeUndefined();
    expect(promptsOf(spec.seen, 'technical_details').at(-1)).toBe(promptsOf(seq.seen, 'technical_details')[0]);
    expect(spec.attempts.filter((a) => a.task === 'technical_details').map((a) => a.speculation)).toEqual(['discarded', undefined]);
    expect(spec.r.speculation!.guesses.filter((g) => g.used).map((g) => [g.task, g.hit])).toEqual([
      ['platform', true],
      ['product', false],
    ]);
  });

  it('a failed platform: speculative dependents are discarded and skipped, as in a sequential run', async () => {
    // The dependents are still in flight when the platform fails: cancelled, then skipped.
    fake.configure({
      latencyMs: (_m, task) => (task === 'platform' ? 30 : task === 'severity' ? 10 : 2_000),
      faults: (i) => (i.task === 'platform' ? 'invalid-json' : null),
    });
    try {
      const seq = await run(S3, false);
      const spec = await run(S3, true);
      expect(facts(spec.r)).toEqual(facts(seq.r));
      for (const t of ['product', 'technical_details', 'asset_ids'] as TaskId[]) {
        expect(spec.r.tasks[t].status).toBe('skipped');
        expect(spec.r.tasks[t].error?.message).toBe(seq.r.tasks[t].error?.message);
      }
      expect(
        spec.attempts
          .filter((a) => a.speculation === 'discarded' && a.error?.code === 'CANCELLED')
          .map((a) => a.task)
          .sort(),
      ).toEqual(['asset_ids', 'product', 'technical_details']);
      // Every call of a task is reported before its result (a recorder writes them together).
      for (const t of TASK_IDS) {
        const last = spec.order.lastIndexOf(`attempt ${t}`);
        if (last >= 0) expect(last, t).toBeLessThan(spec.order.indexOf(`result ${t}`));
      }
    } finally {
      fake.configure({ faults: null });
    }
  });

  it('no guess where the keywords read nothing: the graph runs as it does sequentially', async () => {
    fake.configure({ latencyMs: 5 });
    const t = { id: 'N1', text: 'My invoice looks wrong this month, can someone call me back please?' };
    const seq = await run(t, false);
    const spec = await run(t, true);
    expect(facts(spec.r)).toEqual(facts(seq.r));
    expect(spec.r.speculation).toMatchObject({ speculativeRuns: 0 });
    expect(spec.attempts.every((a) => a.speculation === undefined)).toBe(true);
  });
});
