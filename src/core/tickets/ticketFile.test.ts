import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readTicketFile, type TicketLine } from './ticketFile.ts';

const write = (name: string, content: string | Buffer): string => {
  const p = join(mkdtempSync(join(tmpdir(), 'cb-tickets-')), name);
  writeFileSync(p, content);
  return p;
};
const all = async (p: string): Promise<TicketLine[]> => {
  const out: TicketLine[] = [];
  for await (const l of readTicketFile(p)) out.push(l);
  return out;
};

describe('readTicketFile', () => {
  it('reads JSONL tickets and reports each malformed line with its number and reason, keeping the rest', async () => {
    const p = write(
      't.jsonl',
      [
        '{"id":"A","text":"EC2 instance i-0abc is unreachable","labels":{"platform":"aws"}}',
        '{"id":"B","text":',
        '',
        '{"text":"no id here"}',
        '[1,2]',
        '{"id":"C","text":"BigQuery job fails"}',
        '{"id":"A","text":"same id again"}',
        '{"id":7,"text":"numeric id"}',
        '{"id":"","text":"empty id"}',
        '{"id":"D","text":42}',
      ].join('\n'),
    );
    const lines = await all(p);
    const ok = lines.filter((l) => l.ok).map((l) => (l.ok ? l.ticket.id : ''));
    expect(ok).toEqual(['A', 'C', '7']);
    const bad = lines.filter((l) => !l.ok).map((l) => (l.ok ? '' : `${l.line}: ${l.message}`));
    expect(bad).toEqual([
      expect.stringMatching(/^2: not valid JSON/),
      '4: missing `id`',
      '5: not a JSON object',
      // words a user can act on, not the validator's ("Too small: expected string to have >=1 characters")
      '7: duplicate ticket id `A` (first on line 1)',
      '9: `id`: empty: every ticket needs an id',
      '10: `text`: must be text',
    ]);
    const a = lines[0]!;
    expect(a.ok && a.ticket.labels).toEqual({ platform: 'aws' });
  });

  it('refuses a compressed tickets file at once, saying what to do (not one parse error per line of binary)', async () => {
    const p = write('t.jsonl.gz', gzipSync('{"id":"A","text":"GKE cluster prod-1 is down"}\n'));
    await expect(all(p)).rejects.toThrow(
      /t\.jsonl\.gz: a gzip-compressed file, not a tickets file \(JSONL or CSV\): decompress it first \(gunzip\)/,
    );
  });

  it('reports invalid UTF-8 and NUL bytes per line', async () => {
    const p = write(
      't.jsonl',
      Buffer.concat([
        Buffer.from('{"id":"A","text":"bad \u00ff'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}\n'),
        Buffer.from('{"id":"B","text":"has \\u0000 nul"}\n'),
        Buffer.from('{"id":"C","text":"fine"}\n'),
      ]),
    );
    const lines = await all(p);
    expect(lines.map((l) => (l.ok ? `ok ${l.ticket.id}` : `${l.line} ${l.message}`))).toEqual([
      '1 not valid UTF-8',
      '2 `text` contains a NUL byte',
      'ok C',
    ]);
  });

  it('reads CSV with id and text columns, multi-line quoted text and label columns', async () => {
    const p = write('t.csv', 'id,text,platform,asset_ids\nA,"Cloud SQL is slow\nsince 10:00",gcp,proj-1;proj-2\nB,Azure VM down,azure,\n');
    const lines = await all(p);
    expect(lines).toHaveLength(2);
    const [a, b] = lines;
    expect(a!.ok && a!.ticket).toEqual({
      id: 'A',
      text: 'Cloud SQL is slow\nsince 10:00',
      labels: { platform: 'gcp', asset_ids: ['proj-1', 'proj-2'] },
    });
    expect(b!.ok && b!.line).toBe(4);
  });

  it('rejects a CSV without the required columns, naming the columns found', async () => {
    const p = write('t.csv', 'ticket,body\nA,hello\n');
    await expect(all(p)).rejects.toThrow(/`id` and `text` columns \(found: ticket, body\)/);
  });

  it('says so when the file does not exist', async () => {
    await expect(all('/nonexistent/tickets.jsonl')).rejects.toThrow(/no such file/);
  });
});
