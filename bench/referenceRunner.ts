// The floor casebench is measured against: the same five-task graph shape with plain fetch calls
// and nothing else (no SDK, no validation, no store), against the same server.
import type { TaskId } from '#shared/tasks.ts';

const GRAPH: Record<TaskId, TaskId[]> = {
  platform: [],
  severity: [],
  product: ['platform'],
  asset_ids: ['platform'],
  technical_details: ['platform', 'product'],
};
const MODEL: Record<TaskId, string> = {
  platform: 'openai/gpt-oss-120b',
  product: 'openai/gpt-oss-20b',
  technical_details: 'openai/gpt-oss-20b',
  asset_ids: 'openai/gpt-oss-120b',
  severity: 'openai/gpt-oss-20b',
};

async function call(base: string, task: TaskId, text: string): Promise<unknown> {
  const res = await fetch(`${base}/openai/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer gsk_reference' },
    body: JSON.stringify({
      model: MODEL[task],
      messages: [
        { role: 'system', content: `Task: ${task}` },
        { role: 'user', content: `<ticket>\n${text}\n</ticket>` },
      ],
      response_format: { type: 'json_schema', json_schema: { name: task, schema: { type: 'object' } } },
    }),
  });
  const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
  return JSON.parse(body.choices[0]!.message.content);
}

/** One ticket through the graph; returns the ms at which each task finished and the total. */
export async function referenceTicket(base: string, text: string): Promise<{ totalMs: number; firstMs: number }> {
  const t0 = performance.now();
  const done = new Map<TaskId, Promise<unknown>>();
  let firstMs = Infinity;
  const run = (t: TaskId): Promise<unknown> => {
    let p = done.get(t);
    if (!p) {
      p = Promise.all(GRAPH[t].map(run))
        .then(() => call(base, t, text))
        .then((v) => {
          firstMs = Math.min(firstMs, performance.now() - t0);
          return v;
        });
      done.set(t, p);
    }
    return p;
  };
  await Promise.all((Object.keys(GRAPH) as TaskId[]).map(run));
  return { totalMs: performance.now() - t0, firstMs };
}

/** n tickets through the graph with `concurrency` tickets in flight; returns wall ms. */
export async function referenceBatch(base: string, texts: string[], concurrency: number): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < texts.length) await referenceTicket(base, texts[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - t0;
}
