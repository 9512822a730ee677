// The ancestor resolver keeps every node's summary; past its memory cap the older ones go to a
// temporary file. A child that arrives long after its parent must still get the parent's ticket and task.
import { describe, expect, it } from 'vitest';
import { makeCall } from './draft.ts';
import { AncestorResolver, SummaryStore, type TraceNode } from './resolve.ts';
import type { ImportedCall } from './types.ts';

const call = (id: string): ImportedCall =>
  makeCall({
    format: 'otlp',
    id,
    parentId: null,
    traceId: 't',
    startNs: 1_000_000_000n,
    endNs: 1_250_000_000n,
    provider: 'groq',
    model: 'm',
    inputTokens: 1,
    outputTokens: 1,
    costUsd: null,
    status: 'success',
    error: null,
    input: [],
    output: '{}',
    parsed: null,
    metadata: {},
    where: `f:${id}`,
  });
const node = (key: string, parentKey: string | null, o: Partial<TraceNode> = {}): TraceNode => ({
  key,
  parentKey,
  name: null,
  task: null,
  ticketId: null,
  ticketText: null,
  agentName: null,
  call: null,
  ...o,
});

describe('ancestor summaries beyond the memory cap', () => {
  it('a child read long after its parent (parent already moved to disk) gets its ticket and task', () => {
    const out: ImportedCall[] = [];
    const r = new AncestorResolver('parent', (c) => out.push(c), 4);
    r.add(node('t/root', null, { ticketId: 'T-7', ticketText: 'bucket down', name: 'triage' }));
    r.add(node('t/agent', 't/root', { task: 'severity', name: 'severity step' }));
    for (let i = 0; i < 50; i++) r.add(node(`u/${i}`, null, { ticketId: `other-${i}` }));
    r.add(node('t/llm', 't/agent', { call: call('llm') }));
    r.finish();
    expect(out).toHaveLength(1);
    expect(out[0]!.record.ticket_id).toBe('T-7');
    expect(out[0]!.record.task).toBe('severity');
    expect(out[0]!.x.ticketText).toBe('bucket down');
    expect(out[0]!.record.metadata.missing_ancestor).toBeUndefined();
  });

  it('a child read before its parent waits, and is released when the parent comes, with spilling in between', () => {
    const out: ImportedCall[] = [];
    const r = new AncestorResolver('parent', (c) => out.push(c), 4);
    r.add(node('t/llm', 't/agent', { call: call('llm') }));
    for (let i = 0; i < 20; i++) r.add(node(`u/${i}`, null));
    expect(out).toHaveLength(0);
    r.add(node('t/agent', 't/root', { task: 'platform' }));
    for (let i = 20; i < 40; i++) r.add(node(`u/${i}`, null));
    r.add(node('t/root', null, { ticketId: 'T-9' }));
    expect(out.map((c) => [c.record.ticket_id, c.record.task])).toEqual([['T-9', 'platform']]);
    r.finish();
  });

  it('keeps at most its cap in memory and reads spilled summaries back exactly', () => {
    const s = new SummaryStore(10);
    for (let i = 0; i < 1000; i++)
      s.set(`k${i}`, {
        parentKey: i ? `k${i - 1}` : null,
        name: `n${i}`,
        task: null,
        ticketId: `T${i % 7}`,
        ticketText: i === 3 ? 'text' : null,
      });
    expect(s.spilled).toBeGreaterThanOrEqual(990);
    expect(s.get('k3')).toEqual({ parentKey: 'k2', name: 'n3', task: null, ticketId: 'T3', ticketText: 'text' });
    expect(s.get('k999')).toEqual({ parentKey: 'k998', name: 'n999', task: null, ticketId: `T${999 % 7}`, ticketText: null });
    expect(s.get('nope')).toBeUndefined();
    s.close();
  });
});
