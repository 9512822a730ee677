// Imported tickets in the ticket list: a ticket that came only with a trace import shows that
// import's facts (the assigned model's, when the import holds several models per task), and the
// list's filters see them. (A ticket's own triage, when it has one, still comes first.)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RouteName, RouteOutputs } from '#shared/routes.ts';
import { createCoreServices, type CoreServices } from '../app.ts';

const open: CoreServices[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

const RUN = { id: 'experiment-1', kind: 'experiment', label: 'two models' };
const result = (ticket: string, task: string, model: string, value: unknown, status = 'ok'): string =>
  JSON.stringify({
    casebench: 'result',
    run: RUN,
    ticket_id: ticket,
    task,
    model_spec: model,
    status,
    value,
    raw: JSON.stringify(value),
    provider: 'groq',
    model: model.slice(5),
    latency_ms: 100,
    attempts: 1,
    recorded_at: 1,
  });

describe('imported tickets in the ticket list', () => {
  it('show the import’s facts, from the assigned model when several answered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-tl-'));
    const file = join(dir, 'experiment.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({
          casebench: 'run',
          ...RUN,
          assignment: { platform: 'groq:big', severity: 'groq:big' },
          config: null,
          status: 'done',
          created_at: 1,
          finished_at: 2,
        }),
        JSON.stringify({
          casebench: 'ticket',
          id: 'IMP-1',
          text: 'Our S3 bucket logs-1 returns AccessDenied since 09:00',
          title: null,
          created_at: null,
          labels: null,
          source: 'x',
        }),
        result('IMP-1', 'platform', 'groq:big', 'aws'),
        result('IMP-1', 'platform', 'groq:small', 'gcp'),
        result('IMP-1', 'severity', 'groq:big', 'high'),
        result('IMP-1', 'severity', 'groq:small', null, 'error'),
      ].join('\n') + '\n',
    );
    const c = await createCoreServices({ dbPath: join(dir, 'cb.db'), env: {}, secretStore: null });
    open.push(c);
    const call = async <R extends RouteName>(route: R, input: unknown): Promise<RouteOutputs[R]> => {
      const r = await c.request(route, input);
      if (!r.ok) throw new Error(`${route}: ${r.error.message}`);
      return r.data as RouteOutputs[R];
    };
    const imp = await call('traces.importPath', { path: file });
    expect(imp.calls).toBe(0);
    const row = (await call('tickets.list', {})).rows.find((r) => r.id === 'IMP-1')!;
    expect(row).toMatchObject({ runId: imp.runIds[0], state: 'done', platform: 'aws', severity: 'high', failed: 0, doneTasks: 2 });
    // the list's filters see it too
    expect((await call('tickets.list', { platform: 'aws' })).rows.map((r) => r.id)).toEqual(['IMP-1']);
    expect((await call('tickets.list', { platform: 'gcp' })).rows).toHaveLength(0);
  });
});
