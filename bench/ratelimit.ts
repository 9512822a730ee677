// Rate-limit benchmarks (issue 13 §2), each against a bound from the same run; called from
// bench/run.ts, or alone: node bench/ratelimit.ts [--quick] [--only=storm|window]. The fake
// server runs in its own process. The storm runs casebench's engine in this process, built as
// `casebench run` builds it, like the plain client (on this shared machine the CLI's own start
// takes seconds, which would swamp a few-second bound); the window runs the real CLI and is
// timed by the server, first request to last answer.
//   1. 429 storm: 80 tickets (400 calls) at concurrency 32, 20 % of calls answered 429 with
//      Retry-After: 1 (and headers showing budget left), 100 ms calls. Bound: a plain-fetch
//      client of the same graph that retries a 429 after its Retry-After and does nothing else.
//      Target: within 1.5× of it, 400/400 answered. Full mode adds 400 tickets at 50 % and
//      concurrency 64 (the second storm).
//   2. Rate window: one OpenAI model whose server enforces a sliding window of 60 requests per
//      6 s — 600/min, the window scaled down 10× so the same pacing is measured in ~25 s instead
//      of minutes — with x-ratelimit-* headers on every answer, and no --rpm. Bound: the least
//      time the server's window allows for the same calls. Target: ≥ 90 % of the allowed rate,
//      every call answered.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { TaskId } from '#shared/tasks.ts';
import { createRuntime } from '#core/runtime.ts';
import { triageTicket, type Assignment } from '#core/graph/engine.ts';
import { fmt, writeTicketFile } from './lib.ts';

const BIN = new URL('../bin/casebench.mjs', import.meta.url).pathname;
const GRAPH: Record<TaskId, TaskId[]> = {
  platform: [],
  severity: [],
  product: ['platform'],
  asset_ids: ['platform'],
  technical_details: ['platform', 'product'],
};
const GROQ_MODEL: Record<TaskId, string> = {
  platform: 'openai/gpt-oss-120b',
  product: 'openai/gpt-oss-20b',
  technical_details: 'openai/gpt-oss-20b',
  asset_ids: 'openai/gpt-oss-120b',
  severity: 'openai/gpt-oss-20b',
};

interface FakeStats {
  total: number;
  perStatus: Record<string, number>;
  firstMs: number;
  lastMs: number;
}

async function startFake(cfg: object): Promise<{ url: string; stop(): Promise<FakeStats> }> {
  const proc: ChildProcess = spawn(
    process.execPath,
    [new URL('./fakeServerProcess.ts', import.meta.url).pathname, JSON.stringify({ ...cfg, statsJson: true })],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve) => createInterface({ input: proc.stdout! }).once('line', resolve));
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        proc.once('exit', () => resolve(JSON.parse(/fake-stats (.*)/.exec(err)![1]!) as FakeStats));
        proc.kill('SIGTERM');
      }),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The bound: plain fetch, the same five-task graph, a 429 retried after its Retry-After — nothing else. */
async function plainTicket(url: string, api: 'groq' | 'openai', model: (t: TaskId) => string, text: string): Promise<boolean> {
  const endpoint = api === 'groq' ? `${url}/openai/v1/chat/completions` : `${url}/v1/chat/completions`;
  const call = async (task: TaskId): Promise<boolean> => {
    for (;;) {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer plain_client_key' },
        body: JSON.stringify({
          model: model(task),
          messages: [
            { role: 'system', content: `Task: ${task}. Answer in JSON.` },
            { role: 'user', content: `<ticket>\n${text}\n</ticket>` },
          ],
          response_format: { type: 'json_schema', json_schema: { name: task, schema: { type: 'object' } } },
        }),
      });
      const body = await res.text();
      if (res.status === 429) {
        await sleep(Number(res.headers.get('retry-after') ?? '1') * 1000);
        continue;
      }
      return res.ok && JSON.parse(body).choices?.[0]?.message?.content != null;
    }
  };
  const done = new Map<TaskId, Promise<boolean>>();
  const run = (t: TaskId): Promise<boolean> => {
    let p = done.get(t);
    if (!p) done.set(t, (p = Promise.all(GRAPH[t].map(run)).then((ok) => (ok.every(Boolean) ? call(t) : false))));
    return p;
  };
  return (await Promise.all((Object.keys(GRAPH) as TaskId[]).map(run))).every(Boolean);
}

async function plainBatch(
  url: string,
  api: 'groq' | 'openai',
  model: (t: TaskId) => string,
  texts: string[],
  concurrency: number,
): Promise<{ ms: number; ok: number }> {
  const t0 = performance.now();
  let next = 0;
  let ok = 0;
  const worker = async (): Promise<void> => {
    while (next < texts.length) if (await plainTicket(url, api, model, texts[next++]!)) ok++;
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ms: performance.now() - t0, ok };
}

/** `casebench run` over n tickets; wall ms and the tasks answered ok. */
async function casebenchRun(
  env: NodeJS.ProcessEnv,
  n: number,
  assign: string,
  concurrency: number,
): Promise<{ ms: number; okTasks: number; code: number | null; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-ratelimit-'));
  const { path } = writeTicketFile(dir, n);
  const out = join(dir, 'out.jsonl');
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [BIN, 'run', '--tickets', path, '--assign', assign, '--concurrency', String(concurrency), '--db', join(dir, 'cb.db'), '--out', out],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  const ms = performance.now() - t0;
  let okTasks = 0;
  for (const line of readFileSync(out, 'utf8').trim().split('\n')) {
    const r = JSON.parse(line) as { tasks: Record<string, { status: string }> };
    okTasks += Object.values(r.tasks).filter((t) => t.status === 'ok').length;
  }
  return { ms, okTasks, code, stderr };
}

const KEYS = {
  GROQ_API_KEY: 'gsk_bench_not_a_real_key_000000',
  OPENAI_API_KEY: 'sk-bench-not-a-real-key-000000',
  CASEBENCH_NO_KEYCHAIN: '1',
};

/** casebench's engine in this process, as `casebench run` builds it (scheduler limit 3 × concurrency). */
async function engineBatch(url: string, texts: string[], concurrency: number): Promise<{ ms: number; okCalls: number }> {
  const rt = await createRuntime({
    env: { GROQ_API_KEY: KEYS.GROQ_API_KEY, GROQ_BASE_URL: url },
    secretStore: null,
    scheduler: { maxConcurrency: concurrency * 3 },
  });
  const assign = Object.fromEntries(Object.entries(GROQ_MODEL).map(([t, m]) => [t, `groq:${m}`])) as Assignment;
  const t0 = performance.now();
  let next = 0;
  let okCalls = 0;
  const worker = async (): Promise<void> => {
    while (next < texts.length) {
      const i = next++;
      const r = await triageTicket(rt.deps, { id: `T${i + 1}`, text: texts[i]! }, assign);
      okCalls += Object.values(r.tasks).filter((t) => t.status === 'ok').length;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ms: performance.now() - t0, okCalls };
}

export async function storm(label: string, tickets: number, concurrency: number, rate: number): Promise<Record<string, unknown>> {
  const texts = writeTicketFile(mkdtempSync(join(tmpdir(), 'cb-storm-')), tickets).texts;
  // Each client gets a fresh server with the same seed, so both meet the same 429 sequence.
  let fake = await startFake({ latency: 100, faults: { rate, kinds: ['429'], seed: 2026 } });
  const plain = await plainBatch(fake.url, 'groq', (t) => GROQ_MODEL[t], texts, concurrency);
  const plainStats = await fake.stop();
  fake = await startFake({ latency: 100, faults: { rate, kinds: ['429'], seed: 2026 } });
  const cb = await engineBatch(fake.url, texts, concurrency);
  const cbStats = await fake.stop();
  const ratio = cb.ms / plain.ms;
  const calls = tickets * 5;
  console.log(
    `   ${label}: ${tickets} tickets (${calls} calls), concurrency ${concurrency}, ${Math.round(rate * 100)} % answered 429 + Retry-After: 1, 100 ms calls`,
  );
  console.log(
    `     plain fetch honouring Retry-After  ${fmt(plain.ms / 1000, 2)} s, ${plain.ok}/${tickets} tickets complete, ${plainStats.perStatus['429'] ?? 0} 429s`,
  );
  console.log(
    `     casebench engine (as \`run\`)      ${fmt(cb.ms / 1000, 2)} s, ${cb.okCalls}/${calls} calls answered, ${cbStats.perStatus['429'] ?? 0} 429s → ${fmt(ratio, 2)}× the plain client (target ≤ 1.5×)`,
  );
  return {
    tickets,
    calls,
    concurrency,
    rate_429: rate,
    plain_ms: plain.ms,
    plain_tickets_ok: plain.ok,
    casebench_ms: cb.ms,
    casebench_calls_ok: cb.okCalls,
    ratio,
  };
}

async function rateWindow(withPlain: boolean): Promise<Record<string, unknown>> {
  const limit = 60;
  const windowMs = 6000;
  const tickets = 60;
  const calls = tickets * 5;
  const latency = 100;
  // The server admits at most `limit` requests in any window: the k-th (0-based) cannot start
  // before floor(k / limit) windows have passed; the last then takes one call's latency.
  const idealMs = Math.floor((calls - 1) / limit) * windowMs + latency;
  const cfg = { latency, rpm: { 'gpt-4o': limit }, limitWindowMs: windowMs };
  console.log(
    `   one OpenAI model, sliding window of ${limit} requests per ${windowMs / 1000} s (= ${(limit * 60_000) / windowMs}/min, window scaled 10× down), headers on every answer, no --rpm`,
  );
  console.log(`     ${tickets} tickets × 5 calls at concurrency 32; the window allows them in ${fmt(idealMs / 1000, 1)} s at best`);
  const out: Record<string, unknown> = { limit, window_ms: windowMs, per_minute: (limit * 60_000) / windowMs, calls, ideal_ms: idealMs };
  {
    const fake = await startFake(cfg);
    const cb = await casebenchRun({ ...process.env, ...KEYS, OPENAI_BASE_URL: `${fake.url}/v1` }, tickets, 'openai:gpt-4o', 32);
    const s = await fake.stop();
    const spanMs = s.lastMs - s.firstMs;
    const share = idealMs / spanMs;
    console.log(
      `     casebench run: first request to last answer ${fmt(spanMs / 1000, 2)} s → ${fmt(share * 100, 1)} % of the allowed rate (target ≥ 90 %); ${cb.okTasks}/${calls} calls answered; ${s.perStatus['429'] ?? 0} 429s drawn; wall time with process start ${fmt(cb.ms / 1000, 2)} s`,
    );
    Object.assign(out, {
      casebench_span_ms: spanMs,
      casebench_share: share,
      casebench_calls_ok: cb.okTasks,
      casebench_429s: s.perStatus['429'] ?? 0,
      casebench_wall_ms: cb.ms,
    });
  }
  if (withPlain) {
    const fake = await startFake(cfg);
    const texts = writeTicketFile(mkdtempSync(join(tmpdir(), 'cb-window-')), tickets).texts;
    const plain = await plainBatch(`${fake.url}`, 'openai', () => 'gpt-4o', texts, 32);
    const s = await fake.stop();
    const spanMs = s.lastMs - s.firstMs;
    console.log(
      `     plain fetch honouring Retry-After: ${fmt(spanMs / 1000, 2)} s → ${fmt((idealMs / spanMs) * 100, 1)} %; ${plain.ok}/${tickets} tickets; ${s.perStatus['429'] ?? 0} 429s drawn`,
    );
    Object.assign(out, { plain_span_ms: spanMs, plain_share: idealMs / spanMs, plain_429s: s.perStatus['429'] ?? 0 });
  }
  return out;
}

export async function benchRateLimits({ quick, only }: { quick: boolean; only?: 'storm' | 'window' }): Promise<Record<string, unknown>> {
  console.log('\n6. Rate limits: 429 storms and a requests-per-minute window (node bench/ratelimit.ts)');
  const storms = [];
  if (only !== 'window') {
    storms.push(await storm('storm', 80, 32, 0.2));
    if (!quick) storms.push(await storm('heavy storm', 400, 64, 0.5));
  }
  const window = only === 'storm' ? null : await rateWindow(!quick);
  return { storms, window };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7) as 'storm' | 'window' | undefined;
  console.log(JSON.stringify(await benchRateLimits({ quick: process.argv.includes('--quick'), only }), null, 2));
}
