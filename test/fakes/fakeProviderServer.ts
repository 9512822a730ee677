// A loopback imitation of the Groq and OpenAI chat APIs for tests and benchmarks: routing, request checks and counts, start and close.
// Each API's shapes, faults, rate windows and answers are in test/fakes/fake/ (see shared/docs/provider-api-facts.md).
// Runs under plain Node type stripping (test/fakes/serve.ts), so: erasable syntax, `.ts` imports.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiFlavor, FaultInfo, FakeServerOptions, FakeLogEntry, FakeServerStats, FakeServer } from './fake/types.ts';
import type { Flavour } from './fake/flavours.ts';
import { groqFlavour } from './fake/groq.ts';
import { openaiFlavour } from './fake/openai.ts';
import { textOf, parsePrompt } from './fake/helpers.ts';
import { groqError, modelNotFound } from './fake/errors.ts';
import { resolveOptions, emptyStats, bump, type ChatBody, type ReqCtx } from './fake/options.ts';
import { createIo, readBody } from './fake/io.ts';
import { createFaultSource, actOnFault } from './fake/faults.ts';
import { createRateWindows } from './fake/rateWindows.ts';
import { respondNonStream, respondStream } from './fake/respond.ts';

export {
  FAULT_KINDS,
  DEFAULT_GROQ_MODELS,
  DEFAULT_OPENAI_MODELS,
  DEFAULT_RETIRED,
  type ApiFlavor,
  type FaultKind,
  type FaultInfo,
  type AnswerInfo,
  type PerModel,
  type FakeServerOptions,
  type FakeLogEntry,
  type FakeServerStats,
  type FakeServer,
} from './fake/types.ts';
export { maskKey, parsePrompt } from './fake/helpers.ts';
export { DELAY_HEADER } from './fake/answers.ts';

// ---------------------------------------------------------------------------------------------

export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  let opts = resolveOptions(null, options);
  const current = () => opts;
  const io = createIo(current);
  const faults = createFaultSource(current);
  const windows = createRateWindows(current);
  const flavours: Record<ApiFlavor, Flavour> = { groq: groqFlavour(), openai: openaiFlavour() };
  let stats = emptyStats();
  // In-flight is a property of the server, not of a stats period, so it survives resetStats().
  let inFlight = 0;
  let generation = 0;
  let seq = 0;
  const sockets = new Set<Socket>();

  function keyAccepted(api: ApiFlavor, key: string): boolean {
    if (!key) return false;
    const k = opts.apiKeys;
    if (k === null || k === undefined) return true;
    const list = Array.isArray(k)
      ? (k as readonly string[])
      : ((k as { groq?: readonly string[]; openai?: readonly string[] })[api] ?? null);
    return list === null ? true : list.includes(key);
  }

  function modelKnown(f: Flavour, model: string): boolean {
    if (opts.retired.includes(model)) return false;
    if (model.startsWith('fake-')) return true;
    return f.knows(opts.models[f.name], model);
  }

  /** Counts a chat request into the stats period it began in, and logs it when it ends. */
  function track(f: Flavour, res: ServerResponse, entry: FakeLogEntry, hung: () => boolean): void {
    stats.total++;
    bump(stats.perApi, f.name);
    inFlight++;
    stats.peakInFlight = Math.max(stats.peakInFlight, inFlight);
    const gen = generation;
    res.once('close', () => {
      inFlight--;
      // A request that began before resetStats() is not counted in the new period.
      if (gen !== generation) return;
      entry.ms = Date.now() - entry.t;
      if (res.writableFinished) {
        entry.status = res.statusCode;
        entry.outcome = String(res.statusCode);
      } else {
        entry.status = null;
        entry.outcome = hung() ? 'hang' : entry.fault === 'reset' || entry.fault === 'stream-cut' ? 'reset' : 'aborted';
      }
      bump(stats.perStatus, entry.outcome);
      stats.log.push(entry);
      if (stats.log.length > opts.logLimit) stats.log.splice(0, stats.log.length - opts.logLimit);
    });
  }

  async function handleChat(f: Flavour, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const api = f.name;
    const start = Date.now();
    const arrived = performance.now();
    const requestId = f.newRequestId();
    const entry: FakeLogEntry = {
      t: start,
      api,
      model: '',
      task: null,
      stream: false,
      status: null,
      outcome: 'aborted',
      fault: null,
      ms: 0,
      delayMs: null,
    };
    let hung = false;
    track(f, res, entry, () => hung);

    const raw = await readBody(req, opts.maxBodyBytes);
    if (raw !== null) entry.body = raw.toString('utf8');
    const auth = req.headers.authorization ?? '';
    const echo = opts.echoAuthorization;
    const base = f.baseHeaders(echo?.requestId && auth ? auth : requestId, opts.groqRegion);
    const key = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim() ?? '';
    if (echo?.errorBody) io.echoInErrors(res, auth);
    if (!keyAccepted(api, key)) return io.sendRaw(res, f.authError(key), f.authHeaders(base));
    const errHeaders = (m: string): Record<string, string> => f.errorHeaders(base, () => windows.headers(f, m));
    if (raw === null) {
      io.sendRaw(res, f.bodyTooLarge(), errHeaders(''));
      res.once('finish', () => req.socket.destroy());
      return;
    }
    let body: ChatBody;
    try {
      const v: unknown = JSON.parse(raw.toString('utf8'));
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
      body = v as ChatBody;
    } catch {
      return io.sendRaw(res, f.badJson(), errHeaders(''));
    }

    const model = typeof body.model === 'string' ? body.model : '';
    entry.model = model;
    entry.stream = body.stream === true;
    bump(stats.perModel, model || '(none)');
    if (!model) return io.sendRaw(res, f.noModel(), errHeaders(model));
    if (!modelKnown(f, model)) return io.sendRaw(res, modelNotFound(api, model), errHeaders(model));
    if (!Array.isArray(body.messages) || body.messages.length === 0) return io.sendRaw(res, f.noMessages(), errHeaders(model));

    const parsed = parsePrompt(body);
    entry.task = parsed.task;
    bump(stats.perTask, parsed.task ?? '(none)');
    const promptChars = (body.messages as { content?: unknown }[]).reduce((n, m) => n + textOf(m?.content).length, 0);
    const c: ReqCtx = {
      api,
      model,
      body,
      stream: body.stream === true,
      task: parsed.task,
      entry,
      start,
      arrived,
      requestId,
      promptTokens: Math.ceil(promptChars / 4),
      authorization: auth,
    };

    // Parameter checks the real APIs make.
    const problem = f.paramProblem(body, model);
    if (problem) return io.sendRaw(res, problem, errHeaders(model));

    // Queued faults first, then the limits, then random faults.
    seq++;
    const info: FaultInfo = { api, model, task: parsed.task, n: seq };
    let fault = faults.queued();
    if (fault === null) {
      const maxRaw = body.max_completion_tokens ?? body.max_tokens;
      const requested = c.promptTokens + (typeof maxRaw === 'number' && maxRaw > 0 ? Math.floor(maxRaw) : 0);
      const limited = windows.check(f, model, requested);
      if (limited) return io.sendRaw(res, limited, { ...base, ...windows.headers(f, model) });
      fault = faults.draw(info);
    }
    entry.fault = fault;
    if (fault) bump(stats.perFault, fault);
    const headers = { ...base, ...windows.headers(f, model) };

    const shown = await actOnFault(io, f, c, fault, req, res, headers, () => {
      hung = true;
    });
    if (shown === 'done') return;
    if (c.stream) await respondStream(io, f, c, res, parsed, shown, headers);
    else await respondNonStream(io, f, c, res, parsed, shown, headers);
  }

  function handleModels(f: Flavour, req: IncomingMessage, res: ServerResponse): void {
    const auth = req.headers.authorization ?? '';
    const key = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim() ?? '';
    const requestId = f.newRequestId();
    if (!keyAccepted(f.name, key)) return io.sendRaw(res, f.authError(key), {});
    const data = [...opts.models[f.name]].map((id) => f.modelEntry(id));
    io.sendJson(res, 200, { object: 'list', data }, f.baseHeaders(requestId, opts.groqRegion), f.prettyJson);
  }

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const f = path.startsWith('/openai/') ? flavours.groq : flavours.openai;
    if (req.method === 'POST' && path === `${f.prefix}/chat/completions`) {
      handleChat(f, req, res).catch((err: unknown) => {
        if (!res.headersSent)
          io.sendRaw(res, groqError(500, { message: `fake server bug: ${String(err)}`, type: 'internal_server_error' }), {});
        else res.destroy();
      });
      return;
    }
    stats.other++;
    req.resume();
    if (req.method === 'GET' && path === `${f.prefix}/models`) return handleModels(f, req, res);
    io.sendRaw(res, f.unknownUrl(`${req.method ?? 'GET'} ${path}`), {});
  });
  // Header/body receipt is bounded; answering time is bounded by maxHangMs and close().
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', fail);
      ok();
    });
  });
  const addr = server.address();
  const port = addr && typeof addr === 'object' ? addr.port : 0;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    groqBaseURL: url,
    openaiBaseURL: `${url}/v1`,
    port,
    get stats(): FakeServerStats {
      return {
        ...stats,
        inFlight,
        perApi: { ...stats.perApi },
        perModel: { ...stats.perModel },
        perTask: { ...stats.perTask },
        perStatus: { ...stats.perStatus },
        perFault: { ...stats.perFault },
        log: stats.log.map((e) => ({ ...e })),
      };
    },
    configure(partial: Partial<FakeServerOptions>): void {
      opts = resolveOptions(opts, partial);
      if (Object.hasOwn(partial, 'faults')) faults.reseed();
    },
    queueFaults(kinds): void {
      faults.queue(kinds);
    },
    resetStats(): void {
      generation++;
      stats = emptyStats();
      stats.peakInFlight = inFlight;
      seq = 0;
    },
    resetLimits(): void {
      windows.reset();
    },
    close(): Promise<void> {
      io.close();
      return new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
    },
  };
}
