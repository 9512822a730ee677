// Random and adversarial inputs to every route, over HTTP to a real core: each gets a JSON Result
// (or a 4xx with a clear error), nothing crashes, and the server keeps answering.
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreServices, type CoreServices } from '#core/app.ts';
import { startServer } from '#server/server.ts';
import { routeInputs } from '#shared/routes.ts';
import { dispatchRequest } from '#main/ipcRouter.ts';
import { tempDir } from '../cli/helpers.ts';

let core: CoreServices;
let server: Awaited<ReturnType<typeof startServer>>;
// Routes that act on the host machine (native dialogs, watched folders, key storage) are fuzzed
// for their input checks only through the IPC dispatcher below, not executed with random data.
const SIDE_EFFECTS = new Set(['host.openTicketFile', 'host.pickFolder', 'keys.set', 'keys.remove', 'settings.set', 'tickets.importPath']);

beforeAll(async () => {
  core = await createCoreServices({ dbPath: join(tempDir('cb-fuzz-routes-'), 'cb.db'), env: {}, secretStore: null, demoSpeed: 0.001 });
  server = await startServer({ handlers: core, staticDir: tempDir('cb-static-') });
});
afterAll(async () => {
  await server?.close();
  await core?.close();
});

const post = (route: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${server.origin}/api/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-casebench-token': server.token, ...headers },
    body,
  });

describe('route inputs', () => {
  const routes = Object.keys(routeInputs).filter((r) => !SIDE_EFFECTS.has(r));
  it('random JSON to every route: a Result or a 4xx, never a crash, and the server still answers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.jsonValue({ maxDepth: 4 }), async (route, value) => {
        const res = await post(route, JSON.stringify(value));
        expect([200, 400, 413]).toContain(res.status);
        const body = (await res.json()) as { ok?: boolean; error?: { code: string; message: string } };
        expect(typeof body.ok).toBe('boolean');
        if (!body.ok) expect(body.error?.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
    expect((await post('keys.status', '{}')).status).toBe(200);
  });

  it('malformed bodies and hostile strings are refused with a reason', async () => {
    for (const body of ['{', '\u0000', '[]'.repeat(100_000), '{"text": "' + 'x'.repeat(100) + '"']) {
      const res = await post('triage.start', body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message.length).toBeGreaterThan(0);
    }
    const deep = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);
    expect((await post('triage.start', deep)).status).toBe(400);
    const tooBig = await post('triage.start', JSON.stringify({ text: 'x'.repeat(3 * 1024 * 1024) }));
    expect(tooBig.status).toBe(413);
    expect(await tooBig.text()).toMatch(/2097152|2 MB|limit/i);
    expect((await post('keys.status', '{}')).status).toBe(200);
  });

  it('the IPC dispatcher refuses random inputs to every route (side-effecting ones included) before they reach the core', async () => {
    let reached = 0;
    const handlers = {
      request: async () => {
        reached++;
        return { ok: true as const, data: null as never };
      },
      subscribe: () => () => {},
    };
    const app = 'file:///app/out/renderer/index.html';
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SIDE_EFFECTS),
        fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string())),
        async (route, value) => {
          const r = await dispatchRequest(handlers, app, [app], route, value);
          expect(r.ok).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
    expect(reached).toBe(0);
    // …and from a foreign frame, even valid input never reaches it.
    const foreign = await dispatchRequest(handlers, 'https://evil.example/', [app], 'keys.status', {});
    expect(foreign.ok).toBe(false);
    expect(reached).toBe(0);
  });
});
