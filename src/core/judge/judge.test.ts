// The LLM judge: verdict parsing against the rubric, judge-vs-human κ/α and the trust rule, and a
// judge run through the real OpenAI SDK against the fake provider server (its judge behaviour), with
// calls recorded, verdicts resumable, the spend limit obeyed and the model never named to the judge.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeKey } from '#test/fakes/keys.ts';
import { startFakeServer, type FakeServer } from '#test/fakes/fakeProviderServer.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { buildReport } from '../metrics/report.ts';
import { uniformFloors } from '../metrics/planner.ts';
import { createRuntime } from '../runtime.ts';
import { ANSWERS, BASE, LARGE, MODELS, RUN, SMALL, fixtureStore } from '../review/workspace.fixture.ts';
import { recordScore, type Review } from '../review/reviewsRepo.ts';
import { createSpendGuard } from '../spend/guard.ts';
import { saveLimit } from '../spend/limits.ts';
import { loadReportData } from '../experiments/reportData.ts';
import { heuristicVerdict } from './heuristicJudge.ts';
import { judgeVsHumans, type VerdictRow } from './judgeAgreement.ts';
import { buildJudgeMessages, loadJudgePrompt, parseJudgePrompt, parseVerdict } from './judgePrompt.ts';
import { estimateJudge } from './judgeEstimate.ts';
import { judgeTargets, verdictsOf } from './judgeRepo.ts';
import { runJudge } from './judgeRunner.ts';

describe('the judge prompt and its verdicts', () => {
  const prompt = loadJudgePrompt();

  it('is a versioned resource with a rubric per task, and never names the model that answered', () => {
    expect(prompt.version).toBe('v1');
    expect(Object.keys(prompt.rubric).sort()).toEqual([...TASK_IDS].sort());
    const msgs = buildJudgeMessages(prompt, 'severity', 'Prod is down', 'high');
    expect(msgs[0]!.content).toMatch(/^Judge: severity$/m);
    expect(msgs[0]!.content).toContain('0.5 when it is one level off');
    expect(msgs[1]!.content).toBe('<ticket>\nProd is down\n</ticket>\n<answer>\n"high"\n</answer>');
    expect(JSON.stringify(msgs)).not.toMatch(/gpt|llama|groq|openai/i);
  });

  it('refuses a prompt file without a task’s rubric, naming what is missing', () => {
    expect(() => parseJudgePrompt('---\nversion: v2\n---\nJudge: {{task}}\n### rubric: platform\nx', 'v2.md', 'v2')).toThrow(
      /no "### rubric: product" section/,
    );
    expect(() => parseJudgePrompt('---\nversion: v2\n---\nJudge: {{task}} {{model}}', 'v2.md', 'v2')).toThrow(
      /unknown placeholder \{\{model\}\}/,
    );
  });

  it('takes a verdict whose score follows from its correct value, and refuses one that contradicts it', () => {
    const ok = parseVerdict('platform', '{"reasoning": "S3 is AWS", "correct_value": "AWS", "score": 1}', 'aws');
    expect(ok).toEqual({ ok: true, verdict: { score: 1, reasoning: 'S3 is AWS', correctValue: 'aws', expected: null, missing: null } });
    const bad = parseVerdict('platform', '{"reasoning": "", "correct_value": "gcp", "score": 1}', 'aws');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/contradicts the correct value you entered \(gcp\)/);
    expect(parseVerdict('platform', 'Sure! aws', 'aws')).toEqual({ ok: false, message: 'the judge did not answer with a JSON object' });
    // A fenced block is read like a bare object.
    expect(parseVerdict('asset_ids', '```json\n{"reasoning": "r", "correct_value": ["b", "a"], "score": 1}\n```', ['a', 'b']).ok).toBe(
      true,
    );
  });

  it('scores severity one level off as 0.5, and nothing else in between', () => {
    const half = parseVerdict('severity', '{"reasoning": "r", "correct_value": "urgent", "score": 0.5}', 'high');
    expect(half.ok && half.verdict.score).toBe(0.5);
    const wrong = parseVerdict('severity', '{"reasoning": "r", "correct_value": "low", "score": 0.5}', 'urgent');
    expect(!wrong.ok && wrong.message).toMatch(/scores 0/);
  });

  it('scores technical details 1 − missing/M, with M = 0 handled both ways', () => {
    const v = parseVerdict(
      'technical_details',
      '{"reasoning": "r", "expected": ["error", "region", "version"], "missing": ["region"], "score": 0.6667}',
      { present: ['error', 'version'], missing: [] },
    );
    expect(v.ok && v.verdict.score).toBeCloseTo(2 / 3, 6);
    expect(v.ok && v.verdict.missing).toEqual(['region']);
    const none = parseVerdict('technical_details', '{"reasoning": "r", "expected": [], "missing": [], "score": 1}', {
      present: [],
      missing: [],
    });
    expect(none.ok && none.verdict.score).toBe(1);
    const invented = parseVerdict('technical_details', '{"reasoning": "r", "expected": [], "missing": [], "score": 1}', {
      present: ['an error'],
      missing: [],
    });
    expect(!invented.ok && invented.message).toMatch(/M = 0/);
    const noLists = parseVerdict('technical_details', '{"reasoning": "r", "score": 1}', { present: [], missing: [] });
    expect(!noLists.ok && noLists.message).toMatch(/needs "expected" and "missing"/);
  });
});

describe('judge vs humans', () => {
  const verdict = (i: number, task: TaskId, score: number): VerdictRow => ({
    id: i,
    ticketId: `T${i}`,
    task,
    model: 'm',
    sourceRunId: 'run',
    answerJson: '"x"',
    score,
    reasoning: `why ${i}`,
    judgeModel: 'j:j',
    promptVersion: 'judge/v1',
  });
  const review = (i: number, task: TaskId, score: number, reviewer = 'ana'): Review => ({
    id: i,
    ticketId: `T${i}`,
    task,
    model: 'm',
    runId: 'run',
    answerValue: 'x',
    reviewer,
    score,
    correctValue: undefined,
    missing: null,
    expected: null,
    expectedCount: null,
    note: null,
    scoredAt: new Date(1_700_000_000_000 + i).toISOString(),
    queueId: null,
    source: 'local',
  });

  it('gives Cohen’s κ on exact tasks over the answers both scored, and lists where they differ', () => {
    // 12 answers: judge and human agree on 10 (6 ones, 4 zeros), differ on 2.
    const judge = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0];
    const human = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1];
    const vs = judgeVsHumans(
      judge.map((s, i) => verdict(i, 'platform', s)),
      human.map((s, i) => review(i, 'platform', s)),
    );
    const p = vs.find((h) => h.task === 'platform')!;
    // pₒ = 10/12; pₑ = (7·7 + 5·5)/144 = 74/144; κ = (120 − 74)/(144 − 74) = 46/70.
    expect(p.metric).toBe('kappa');
    expect(p.answers).toBe(12);
    expect(p.agreement).toBeCloseTo(10 / 12, 10);
    expect(p.kappa).toBeCloseTo(46 / 70, 10);
    expect(p.trusted).toBe(true);
    expect(p.trust).toBe('trusted: κ 0.66 ≥ 0.6 over 12 answers');
    expect(p.disagreements.map((d) => [d.ticketId, d.judgeScore, d.humanScore, d.reasoning])).toEqual([
      ['T10', 1, 0, 'why 10'],
      ['T11', 0, 1, 'why 11'],
    ]);
    // Tasks nobody scored say so.
    expect(vs.find((h) => h.task === 'asset_ids')!.trust).toBe('not trusted: no answer was scored by both the judge and a reviewer yet');
  });

  it('gives Krippendorff’s α (interval) on graded tasks, a half point weighing a quarter of a full one', () => {
    const judge = [1, 0.5, 0, 1, 1];
    const human = [1, 1, 0, 1, 0.5];
    const vs = judgeVsHumans(
      judge.map((s, i) => verdict(i, 'severity', s)),
      human.map((s, i) => review(i, 'severity', s)),
    );
    const s = vs.find((h) => h.task === 'severity')!;
    // Values: 1,1 · .5,1 · 0,0 · 1,1 · 1,.5 → n = 10, Σv = 7, Σv² = 6.5; within = Σ 2·(a−b)² = 2·(.25 + .25) = 1;
    // total = 2·10·6.5 − 2·49 = 32; α = 1 − 9·1/32 = 23/32.
    expect(s.metric).toBe('alpha');
    expect(s.alpha).toBeCloseTo(23 / 32, 10);
    expect(s.kappa).toBeNull();
    expect(s.trusted).toBe(false);
    expect(s.trust).toBe('not trusted yet: 5 answers scored by both (needs 10)');
  });

  it('pairs the judge with each reviewer’s latest score, and ignores reviews of another answer', () => {
    const vs = judgeVsHumans(
      [verdict(1, 'product', 1)],
      [
        review(1, 'product', 0, 'ana'),
        { ...review(1, 'product', 1, 'ana'), id: 9, scoredAt: new Date(1_800_000_000_000).toISOString() },
        review(1, 'product', 1, 'bo'),
        { ...review(1, 'product', 0, 'cy'), runId: 'other', answerValue: 'y' },
      ],
    );
    const p = vs.find((h) => h.task === 'product')!;
    expect([p.answers, p.pairs, p.agreement]).toEqual([1, 2, 1]);
  });
});

describe('a judge run against the fake provider (real OpenAI SDK)', () => {
  let fake: FakeServer;
  const prompts: string[] = [];
  beforeAll(async () => {
    fake = await startFakeServer({
      latencyMs: 5,
      judge: { disagreeRate: 0.2, seed: 3 },
      answer: (info) => {
        prompts.push(JSON.stringify(info.messages));
        return undefined;
      },
    });
  });
  afterAll(async () => fake?.close());

  const setup = async () => {
    const store = fixtureStore(join(mkdtempSync(join(tmpdir(), 'cb-judge-')), 'cb.db'));
    const rt = await createRuntime({
      env: { OPENAI_API_KEY: fakeKey('openai', 'judge'), OPENAI_BASE_URL: fake.openaiBaseURL },
      secretStore: null,
    });
    rt.deps.spend = createSpendGuard({ store });
    return { store, rt };
  };
  const ok = Object.values(ANSWERS).reduce((n, byModel) => n + Object.keys(byModel).length * TASK_IDS.length, 0) - 1; // T6's failed answer

  it('scores every successful answer once, records its calls, and judges nothing twice', async () => {
    const { store, rt } = await setup();
    const est = estimateJudge(store, rt.models, loadJudgePrompt(), { runId: RUN, judgeModel: 'openai:gpt-4o' });
    expect([est.answers, est.calls, est.alreadyJudged]).toEqual([ok, ok, 0]);
    expect(est.usd).toBeGreaterThan(0);
    const seen: number[] = [];
    const out = await runJudge(store, rt, { runId: RUN, judgeModel: 'openai:gpt-4o', onProgress: (p) => seen.push(p.judged) });
    expect(out).toMatchObject({ total: ok, judged: ok, failed: 0, stopped: null, promptVersion: 'judge/v1' });
    expect(out.costUsd).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(ok);
    const verdicts = verdictsOf(store, RUN, { judgeModel: 'openai:gpt-4o', promptVersion: 'judge/v1' });
    expect(verdicts).toHaveLength(ok);
    // Every verdict has its reasoning and the call that gave it, recorded under the judge's run.
    const row = store
      .prepare(
        'SELECT v.reasoning, c.task, c.model_spec, c.cost_usd, r.kind FROM judge_verdicts v JOIN calls c ON c.id = v.call_id JOIN runs r ON r.id = c.run_id LIMIT 1',
      )
      .get() as Record<string, unknown>;
    expect(row).toMatchObject({ model_spec: 'openai:gpt-4o', kind: 'judge' });
    expect(String(row.task)).toMatch(/^judge:/);
    expect(String(row.reasoning).length).toBeGreaterThan(5);
    // Blind: no judge request named a judged model.
    expect(prompts.length).toBeGreaterThanOrEqual(ok);
    for (const p of prompts) for (const m of MODELS) expect(p).not.toContain(m.slice(m.indexOf(':') + 1));
    // A second run has nothing left.
    const again = await runJudge(store, rt, { runId: RUN, judgeModel: 'openai:gpt-4o' });
    expect([again.total, again.alreadyJudged]).toEqual([0, ok]);
    store.close();
  });

  it('sends the judge the masked ticket and answer: no secret or personal datum leaves the machine', async () => {
    const { store, rt } = await setup();
    rt.setPrivacy({ redaction: { secrets: true, personal: true } });
    const SECRET = 'Hunter2-Very-Secret-77';
    const EMAIL = 'jane.doe@example.org';
    const [first] = judgeTargets(store, RUN, ['technical_details']);
    const extra = `\nadmin login password=${SECRET}, contact ${EMAIL}`;
    store.prepare('UPDATE tickets SET text = text || ? WHERE id = ?').run(extra, first!.ticketId);
    store.prepare('UPDATE ticket_versions SET text = text || ? WHERE ticket_id = ?').run(extra, first!.ticketId);
    expect(judgeTargets(store, RUN, ['technical_details']).find((t) => t.ticketId === first!.ticketId)!.text).toContain(SECRET);
    fake.resetStats();
    const out = await runJudge(store, rt, { runId: RUN, judgeModel: 'openai:gpt-4o', tasks: ['technical_details'] });
    expect(out.failed).toBe(0);
    const bodies = fake.stats.log.map((e) => e.body ?? '');
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.some((b) => /password=<PASSWORD_1>, contact <EMAIL_1>/.test(b))).toBe(true);
    for (const b of bodies) {
      expect(b).not.toContain(SECRET);
      expect(b).not.toContain(EMAIL);
    }
    store.close();
  });

  it('stops at the daily spend limit with what it judged kept, and finishes on the next start', async () => {
    const { store, rt } = await setup();
    saveLimit(store, { kind: 'workspace' }, 0.0005);
    const first = await runJudge(store, rt, { runId: RUN, judgeModel: 'openai:gpt-4o', concurrency: 1 });
    expect(first.stopped?.code).toBe('SPEND_LIMIT');
    expect(first.judged).toBeGreaterThan(0);
    expect(first.judged).toBeLessThan(ok);
    saveLimit(store, { kind: 'workspace' }, 100);
    (rt.deps.spend as ReturnType<typeof createSpendGuard>).refresh();
    const second = await runJudge(store, rt, { runId: RUN, judgeModel: 'openai:gpt-4o' });
    expect(second.alreadyJudged).toBe(first.judged);
    expect(first.judged + second.judged).toBe(ok);
    store.close();
  });

  it('shows in the report beside the human scores, and a trusted judge feeds the plan’s floor', async () => {
    const { store, rt } = await setup();
    // Humans score every platform and severity answer by the rubric (the fake judge without its disagreements).
    for (const t of judgeTargets(store, RUN, ['platform', 'severity'])) {
      const truth = heuristicVerdict({ task: t.task, ticket: t.text, answer: t.answer });
      recordScore(store, { ticketId: t.ticketId, task: t.task, model: t.model, runId: RUN, reviewer: 'ana', score: Number(truth.score) });
    }
    await runJudge(store, rt, { runId: RUN, judgeModel: 'openai:gpt-4o', tasks: ['platform', 'severity', 'asset_ids'] });
    const data = loadReportData(store, store.getRun(RUN)!);
    const report = buildReport(data, { baseline: BASE, assignment: null, floors: uniformFloors(0.5) });
    const j = report.judge!;
    expect(j.model).toBe('openai:gpt-4o');
    expect(j.scores.asset_ids[SMALL]!.n).toBe(6);
    const platform = j.vs_humans.find((h) => h.task === 'platform')!;
    expect(platform.answers).toBe(17);
    // The fake judge departs from the rubric on about a fifth of answers: humans see it.
    expect(platform.agreement).toBeLessThan(1);
    expect(platform.disagreements.length).toBe(platform.disagreementCount);
    expect(platform.disagreements[0]).toMatchObject({ runId: RUN, reviewer: 'ana' });
    // Asset ids: judged, never reviewed — not trusted, so the plan keeps agreement there; where
    // humans reviewed, their scores win.
    expect(j.vs_humans.find((h) => h.task === 'asset_ids')!.trusted).toBe(false);
    expect(report.plan.quality_source.asset_ids).toBe('agreement');
    expect(report.plan.quality_source.platform).toBe('review');
    expect(report.reviews.severity?.[LARGE]?.n).toBe(6);
    // Once the judge is trusted on asset ids, its scores are that task's quality floor, and the plan says so.
    const trusted = { ...j, vs_humans: j.vs_humans.map((h) => (h.task === 'asset_ids' ? { ...h, trusted: true } : h)) };
    const withJudge = buildReport(
      { ...data, judge: trusted },
      { baseline: BASE, assignment: null, floors: { ...uniformFloors(0), asset_ids: 0.99 } },
    );
    expect(withJudge.plan.quality_source.asset_ids).toBe('judge');
    const perfect = Object.entries(j.scores.asset_ids)
      .filter(([, c]) => c.score >= 0.99)
      .map(([m]) => m);
    if (withJudge.plan.recommended) expect(perfect).toContain(withJudge.plan.recommended.assignment.asset_ids);
    else expect(perfect).toEqual([]);
    store.close();
  });
});
