// The in-flight board a reloaded window reads: started tasks appear with their age, leave when
// answered, and a ticket leaves when nothing of it is asked any more or it is done.
import { describe, expect, it } from 'vitest';
import type { TaskResult } from '#shared/results.ts';
import { createLiveBoard } from './liveBoard.ts';

const started = (ticketId: string, task: 'platform' | 'severity', startedMs = 1) =>
  ({ type: 'task.started', ticketId, runId: 'r1', spec: 'groq:m', task, provider: 'groq', model: 'm', startedMs }) as const;
const result = (ticketId: string, task: 'platform' | 'severity') =>
  ({ type: 'task.result', ticketId, runId: 'r1', spec: 'groq:m', result: { task, status: 'ok' } as TaskResult }) as const;

describe('live board', () => {
  it('shows what is asked and not answered, with how long ago it started', () => {
    let t = 1000;
    const board = createLiveBoard(() => t);
    board.observe(started('A', 'platform', 3));
    t = 1250;
    board.observe(started('A', 'severity', 4));
    t = 1400;
    expect(board.startedFor('r1', 'A')).toEqual([
      { task: 'platform', spec: 'groq:m', provider: 'groq', model: 'm', startedMs: 3, elapsedMs: 400 },
      { task: 'severity', spec: 'groq:m', provider: 'groq', model: 'm', startedMs: 4, elapsedMs: 150 },
    ]);
    expect(board.tickets()).toEqual([{ runId: 'r1', ticketId: 'A' }]);
    expect(board.startedFor('r2', 'A')).toEqual([]);

    board.observe(result('A', 'platform'));
    expect(board.startedFor('r1', 'A').map((s) => s.task)).toEqual(['severity']);
    board.observe(result('A', 'severity'));
    expect(board.tickets()).toEqual([]);
  });

  it('forgets a ticket once it is done, even with a call it never heard the answer of', () => {
    const board = createLiveBoard(() => 0);
    board.observe(started('B', 'platform'));
    board.observe({ type: 'ticket.done', ticketId: 'B', runId: 'r1', totalMs: 10 });
    expect(board.tickets()).toEqual([]);
  });
});
