// Big trace files for tests that need the importer's worker thread or an import that takes a
// while (progress, cancel): OTLP JSONL, one GenAI chat span a line, each its own ticket.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const kv = (key: string, v: string): unknown => ({ key, value: { stringValue: v } });

/** One line of OTLP JSONL: a chat span with a ticket id, a task and an answer to it. */
export function otlpLine(i: number, padding = 1200): string {
  const start = (1_764_000_000_000n + BigInt(i) * 1000n) * 1_000_000n;
  const span = {
    traceId: (i + 1).toString(16).padStart(32, '0'),
    spanId: (i + 1).toString(16).padStart(16, '0'),
    name: 'chat',
    kind: 3,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + 180_000_000n).toString(),
    attributes: [
      kv('gen_ai.operation.name', 'chat'),
      kv('gen_ai.request.model', 'gpt-4o'),
      kv('ticket.id', `B${i}`),
      kv('task.name', 'severity'),
      kv(
        'gen_ai.input.messages',
        JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `ticket ${i} ${'x'.repeat(padding)}` }] }]),
      ),
      kv('gen_ai.output.messages', JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: '{"severity":"low"}' }] }])),
    ],
  };
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: [kv('service.name', 'big')] }, scopeSpans: [{ scope: { name: 's' }, spans: [span] }] }],
  });
}

/** Writes n such lines to path (streamed, so tens of MB cost no memory). */
export async function writeBigOtlp(path: string, n: number, padding?: number): Promise<void> {
  const w = createWriteStream(path);
  for (let i = 0; i < n; i++) if (!w.write(`${otlpLine(i, padding)}\n`)) await once(w, 'drain');
  w.end();
  await once(w, 'finish');
}
