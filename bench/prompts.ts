// node bench/prompts.ts: what workspace prompt versions cost per call. Every call asks the prompt
// library (SQLite, migration 16) for its version instead of reading a registry loaded once. Two
// figures: the lookup itself (µs per call, with 6 saved versions and a promotion), and triage of
// the same tickets on the same loopback fake server (its own process, 1 ms answers) with and
// without the library, interleaved in one run — the ratio is the figure, not the absolute times.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '#core/runtime.ts';
import { triageTicket, type Assignment } from '#core/graph/engine.ts';
import { PromptLibrary } from '#core/prompts/promptLibrary.ts';
import { openStore } from '#core/store/store.ts';
import { TEXTS, median, startFake, stopFake } from './lib.ts';

const quick = process.argv.includes('--quick');
const store = openStore(join(mkdtempSync(join(tmpdir(), 'cb-bench-prompts-')), 'cb.db'));
const lib = new PromptLibrary(store);
const v1 = lib.get('asset_ids', 'v1').template;
for (let i = 0; i < 5; i++) lib.save({ task: 'asset_ids', template: `${v1}\n- bench rule ${i}` });
lib.promote('asset_ids', 'v4');

const N = quick ? 5_000 : 50_000;
const t = performance.now();
for (let i = 0; i < N; i++) lib.resolve('asset_ids', 'groq:openai/gpt-oss-120b');
const lookupUs = ((performance.now() - t) * 1000) / N;

const { url, proc } = await startFake({ latency: 1 });
const rt = await createRuntime({ env: { GROQ_API_KEY: 'gsk_bench_not_a_real_key_000000', GROQ_BASE_URL: url }, secretStore: null });
const assign = Object.fromEntries(
  ['platform', 'product', 'technical_details', 'asset_ids', 'severity'].map((k) => [k, 'groq:openai/gpt-oss-120b']),
) as Assignment;
const shipped: number[] = [];
const workspace: number[] = [];
const rounds = quick ? 20 : 80;
for (let i = -3; i < rounds; i++) {
  for (const mode of i % 2 === 0 ? ['shipped', 'workspace'] : ['workspace', 'shipped']) {
    rt.usePrompts(mode === 'workspace' ? (task, spec) => lib.resolve(task, spec) : null);
    const t0 = performance.now();
    await triageTicket(rt.deps, { id: `b${i}`, text: TEXTS[Math.abs(i) % TEXTS.length]! }, assign);
    if (i >= 0) (mode === 'workspace' ? workspace : shipped).push(performance.now() - t0);
  }
}
await stopFake(proc);
store.close();
const ratio = median(workspace) / median(shipped);
console.log(`prompt lookup: ${lookupUs.toFixed(1)} µs per call (${N.toLocaleString('en-US')} lookups, 6 versions, one promotion)`);
console.log(`triage per ticket, workspace prompts / shipped prompts (median of ${rounds} each, same run): ${ratio.toFixed(3)}`);
