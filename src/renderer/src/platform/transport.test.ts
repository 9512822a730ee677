import { describe, expect, it } from 'vitest';
import type { AppEvent } from '#shared/routes.ts';
import { httpTransport, readToken } from './transport.ts';

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
    key: (i) => [...m.keys()][i] ?? null,
  };
}

class FakeEventSource {
  static last: FakeEventSource | null = null;
  onmessage: ((m: MessageEvent<string>) => void) | null = null;
  closed = false;
  readonly url: string;
  constructor(url: string) {
    this.url = url;
    FakeEventSource.last = this;
  }
  close(): void {
    this.closed = true;
  }
}

describe('readToken', () => {
  it('takes the token from the hash and remembers it for reloads of this tab', () => {
    const storage = memoryStorage();
    expect(readToken({ hash: '#token=abc_-1' }, storage)).toBe('abc_-1');
    expect(readToken({ hash: '' }, storage)).toBe('abc_-1');
    expect(readToken({ hash: '' }, memoryStorage())).toBeNull();
  });
});

describe('httpTransport', () => {
  it('posts to /api/<route> with the token header and returns the Result', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const t = httpTransport({
      baseUrl: 'http://127.0.0.1:9/',
      token: 'tok',
      fetch: (async (url: string, init: RequestInit) => {
        seen.push({ url, init });
        return new Response(JSON.stringify({ ok: true, data: { cancelled: true } }), { status: 200 });
      }) as typeof fetch,
      EventSource: FakeEventSource as unknown as typeof EventSource,
    });
    const r = await t.request('triage.cancel', { ticketId: 't-1' });
    expect(r).toEqual({ ok: true, data: { cancelled: true } });
    expect(seen[0]!.url).toBe('http://127.0.0.1:9/api/triage.cancel');
    expect((seen[0]!.init.headers as Record<string, string>)['x-casebench-token']).toBe('tok');
  });

  it('passes through error Results and reports network failures as NETWORK', async () => {
    const t = httpTransport({
      baseUrl: 'http://127.0.0.1:9/',
      token: 'tok',
      fetch: (async () =>
        new Response(JSON.stringify({ ok: false, error: { code: 'AUTH', message: 'bad token' } }), {
          status: 401,
        })) as unknown as typeof fetch,
      EventSource: FakeEventSource as unknown as typeof EventSource,
    });
    expect(await t.request('keys.status', {})).toEqual({ ok: false, error: { code: 'AUTH', message: 'bad token' } });
    const down = httpTransport({
      baseUrl: 'http://127.0.0.1:9/',
      token: 'tok',
      fetch: (async () => {
        throw new TypeError('fetch failed');
      }) as typeof fetch,
      EventSource: FakeEventSource as unknown as typeof EventSource,
    });
    expect(await down.request('keys.status', {})).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
  });

  it('opens one event stream with the token, and closes it with the last listener', () => {
    const t = httpTransport({
      baseUrl: 'http://127.0.0.1:9/',
      token: 't k',
      fetch: fetch,
      EventSource: FakeEventSource as unknown as typeof EventSource,
    });
    const got: AppEvent[] = [];
    const off1 = t.onEvent((e) => got.push(e));
    const off2 = t.onEvent(() => {});
    const es = FakeEventSource.last!;
    expect(es.url).toBe('http://127.0.0.1:9/api/events?token=t%20k');
    es.onmessage?.({ data: JSON.stringify({ type: 'ticket.done', ticketId: 'x', totalMs: 5 }) } as MessageEvent<string>);
    expect(got).toEqual([{ type: 'ticket.done', ticketId: 'x', totalMs: 5 }]);
    off1();
    expect(es.closed).toBe(false);
    off2();
    expect(es.closed).toBe(true);
  });

  it('without a token, says how to get one instead of calling', async () => {
    const t = httpTransport({
      baseUrl: 'http://127.0.0.1:9/',
      token: null,
      fetch: fetch,
      EventSource: FakeEventSource as unknown as typeof EventSource,
    });
    expect(t.problem?.message).toMatch(/casebench serve/);
    expect(await t.request('keys.status', {})).toMatchObject({ ok: false, error: { code: 'AUTH' } });
  });
});
