// Random and adversarial input: a clear error per item, the rest processed, no crash, no hang.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { parseAnswer } from '#core/graph/normalise.ts';
import { loadCatalog } from '#core/catalog.ts';
import { readTicketFile, type TicketLine } from '#core/tickets/ticketFile.ts';
import { checkTicket } from '#core/graph/ticketGate.ts';
import { tempDir } from '../cli/helpers.ts';

const catalog = loadCatalog();
const lines = async (p: string): Promise<TicketLine[]> => {
  const out: TicketLine[] = [];
  for await (const l of readTicketFile(p)) out.push(l);
  return out;
};

describe('model outputs', () => {
  it('any text is either a normalised value or INVALID_OUTPUT with a reason — never a throw', () => {
    const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v));
    const shaped = fc
      .record(
        {
          platform: fc.oneof(
            fc.constantFrom('aws', 'GCP', 'azure', 'other:cloudflare', 'other:', '', 'mars'),
            fc.string(),
            fc.constant(null),
          ),
          product: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
          severity: fc.oneof(fc.constantFrom('low', 'normal', 'high', 'urgent', 'critical'), fc.string()),
          asset_ids: fc.oneof(fc.array(fc.string()), fc.string()),
          present: fc.array(fc.string()),
          missing: fc.oneof(fc.array(fc.string()), fc.constant(null)),
        },
        { requiredKeys: [] },
      )
      .map((o) => JSON.stringify(o));
    fc.assert(
      fc.property(
        fc.constantFrom(...TASK_IDS),
        fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), json, shaped),
        (task: TaskId, raw) => {
          const r = parseAnswer(task, raw, { platform: 'aws', catalog });
          if (!r.ok) {
            expect(r.code).toBe('INVALID_OUTPUT');
            expect(r.message.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('survives pathological JSON: deep nesting, huge strings, NUL bytes', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    for (const raw of [deep, `{"severity":"${'x'.repeat(5_000_000)}"}`, '{"platform":"aws\u0000"}', '\uFEFF{"severity":"low"}', '']) {
      for (const task of TASK_IDS) {
        const r = parseAnswer(task, raw, { catalog });
        expect(r.ok === true || r.code === 'INVALID_OUTPUT').toBe(true);
      }
    }
  });
});

describe('ticket files', () => {
  it('random bytes, broken JSON and valid tickets mixed: every valid ticket is read, every other line is reported with its number', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ id: fc.uuid(), text: fc.string({ minLength: 1 }) }).map((t) => ({ good: true, line: JSON.stringify(t) })),
            fc.uint8Array({ maxLength: 200 }).map((b) => ({
              good: false,
              line: Buffer.from(b)
                .toString('latin1')
                .replace(/[\r\n]/g, ' '),
            })),
            fc.jsonValue().map((v) => ({ good: false, line: JSON.stringify(v) })),
          ),
          { maxLength: 40 },
        ),
        async (items) => {
          const p = join(tempDir('cb-fuzz-'), 't.jsonl');
          writeFileSync(p, items.map((i) => i.line).join('\n'));
          const got = await lines(p);
          const goodCount = items.filter((i) => i.good).length;
          expect(got.filter((l) => l.ok).length).toBeGreaterThanOrEqual(goodCount);
          for (const l of got) {
            if (!l.ok) {
              expect(l.line).toBeGreaterThan(0);
              expect(l.message.length).toBeGreaterThan(0);
            }
          }
          // Every non-empty line is accounted for: read as a ticket or reported.
          expect(got.length).toBe(items.filter((i) => i.line.trim() !== '').length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a 10 MB line and deeply nested JSON are reported, and the tickets after them still read', async () => {
    const p = join(tempDir('cb-fuzz-'), 't.jsonl');
    const huge = JSON.stringify({ id: 'HUGE', text: 'x'.repeat(10 * 1024 * 1024) });
    writeFileSync(
      p,
      [huge, '['.repeat(100_000) + ']'.repeat(100_000), '{"id":"OK","text":"Cloud Run service returns 503 since deploy"}'].join('\n'),
    );
    const got = await lines(p);
    expect(got).toHaveLength(3);
    // The huge ticket is read; the size gate refuses it before any model call, with the limit stated.
    const first = got[0]!;
    expect(first.ok).toBe(true);
    if (first.ok)
      expect(checkTicket(first.ticket.text)).toMatchObject({ ok: false, code: 'BAD_INPUT', message: expect.stringMatching(/MB|bytes/) });
    expect(got[1]).toMatchObject({ ok: false, line: 2 });
    expect(got[2]).toMatchObject({ ok: true, ticket: { id: 'OK' } });
  });
});
