// Redaction and the information gate, measured on test/fixtures/privacy/corpus.jsonl (72 tickets
// written for this: cloud credentials and personal data in ticket prose, next to the resource ids
// asset-id extraction needs, plus terse-but-triageable and vague tickets, each labelled).
//   node bench/privacy.ts     (also section 11 of npm run bench)
// Prints: recall per kind (a labelled value counts as caught when it no longer appears in the text
// sent to the models), resource ids kept verbatim, asset-id accuracy with redaction on vs off (the
// real engine and SDKs against the loopback fake server, whose stand-in answers read the ticket it
// was sent), values that reached the server, and the gate's false-hold rate.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRuntime } from '#core/runtime.ts';
import { triageTicket, type Assignment } from '#core/graph/engine.ts';
import { maskTicket } from '#core/secrets/mask.ts';
import { checkInformation } from '#core/graph/infoGate.ts';
import { checkTicket } from '#core/graph/ticketGate.ts';
import { startFakeServer } from '#test/fakes/fakeProviderServer.ts';

interface CorpusTicket {
  id: string;
  text: string;
  labels: { platform: string | null; asset_ids: string[] };
  sensitive: Array<{ kind: string; category: 'secret' | 'personal'; value: string }>;
  triageable: boolean;
}

export const CORPUS_PATH = fileURLToPath(new URL('../test/fixtures/privacy/corpus.jsonl', import.meta.url));
export function loadCorpus(): CorpusTicket[] {
  return readFileSync(CORPUS_PATH, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusTicket);
}

const ASSIGN: Assignment = {
  platform: 'groq:openai/gpt-oss-120b',
  product: 'groq:openai/gpt-oss-20b',
  technical_details: 'groq:openai/gpt-oss-20b',
  asset_ids: 'groq:openai/gpt-oss-120b',
  severity: 'groq:openai/gpt-oss-20b',
};

export interface PrivacyBench {
  tickets: number;
  recall: Record<string, { caught: number; total: number }>;
  resourceIdsKept: { kept: number; total: number };
  assetAccuracy: { off: number; on: number; n: number };
  leakedToServer: { on: number; off: number };
  gate: { falseHolds: number; triageable: number; holds: number; untriageable: number };
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

export async function benchPrivacy(): Promise<PrivacyBench> {
  const corpus = loadCorpus();
  const recall: PrivacyBench['recall'] = {};
  let kept = 0;
  let idTotal = 0;
  for (const t of corpus) {
    const m = maskTicket(t.text, { secrets: true, personal: true });
    for (const s of t.sensitive) {
      const r = (recall[s.kind] ??= { caught: 0, total: 0 });
      r.total++;
      if (!m.text.includes(s.value)) r.caught++;
    }
    for (const id of t.labels.asset_ids) {
      idTotal++;
      if (m.text.includes(id)) kept++;
    }
  }

  // The real engine, SDKs and wire against the fake server; the same tickets with redaction off and on.
  const fake = await startFakeServer({ latencyMs: 0 });
  const rt = await createRuntime({
    env: { GROQ_API_KEY: 'gsk_bench_privacy_not_a_key_0000', GROQ_BASE_URL: fake.groqBaseURL },
    secretStore: null,
  });
  const withIds = corpus.filter((t) => t.triageable);
  const accuracy = { off: 0, on: 0, n: withIds.length };
  const leaked = { on: 0, off: 0 };
  try {
    for (const mode of ['off', 'on'] as const) {
      rt.setPrivacy({ redaction: { secrets: mode === 'on', personal: mode === 'on' } });
      fake.resetStats();
      for (const t of withIds) {
        const r = await triageTicket(rt.deps, { id: `${mode}-${t.id}`, text: t.text }, ASSIGN, { timeoutMs: 10_000 });
        const ids = r.tasks.asset_ids.status === 'ok' ? (r.tasks.asset_ids.value as string[]) : [];
        if (sameSet(ids, t.labels.asset_ids)) accuracy[mode]++;
      }
      const bodies = fake.stats.log.map((e) => e.body ?? '').join('\n');
      for (const t of withIds) for (const s of t.sensitive) if (bodies.includes(JSON.stringify(s.value).slice(1, -1))) leaked[mode]++;
    }
  } finally {
    await fake.close();
  }

  const gate = { falseHolds: 0, triageable: 0, holds: 0, untriageable: 0 };
  for (const t of corpus) {
    const held = !checkTicket(t.text).ok || checkInformation(t.text).held;
    if (t.triageable) {
      gate.triageable++;
      if (held) gate.falseHolds++;
    } else {
      gate.untriageable++;
      if (held) gate.holds++;
    }
  }
  return {
    tickets: corpus.length,
    recall,
    resourceIdsKept: { kept, total: idTotal },
    assetAccuracy: accuracy,
    leakedToServer: leaked,
    gate,
  };
}

const pct = (a: number, b: number): string => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)} %`);

export function printPrivacy(r: PrivacyBench): void {
  console.log(`  corpus: ${r.tickets} tickets (test/fixtures/privacy/corpus.jsonl)`);
  console.log('  redaction recall per kind (secrets and personal data on):');
  for (const [k, v] of Object.entries(r.recall).sort())
    console.log(`    ${k.padEnd(18)} ${pct(v.caught, v.total).padStart(8)}  (${v.caught}/${v.total})`);
  console.log(
    `  resource ids left intact in the sent text: ${pct(r.resourceIdsKept.kept, r.resourceIdsKept.total)} (${r.resourceIdsKept.kept}/${r.resourceIdsKept.total})`,
  );
  console.log(
    `  asset-id accuracy (exact set, fake server's stand-in model): off ${pct(r.assetAccuracy.off, r.assetAccuracy.n)} · on ${pct(r.assetAccuracy.on, r.assetAccuracy.n)} (n=${r.assetAccuracy.n})`,
  );
  console.log(`  labelled values seen by the server: off ${r.leakedToServer.off} · on ${r.leakedToServer.on}`);
  console.log(
    `  information gate: false holds ${pct(r.gate.falseHolds, r.gate.triageable)} (${r.gate.falseHolds}/${r.gate.triageable} triageable) · vague tickets held ${pct(r.gate.holds, r.gate.untriageable)} (${r.gate.holds}/${r.gate.untriageable})`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log('Redaction before the call and the information gate (node bench/privacy.ts)');
  printPrivacy(await benchPrivacy());
}
