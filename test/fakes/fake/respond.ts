// Answering a chat request that passed every check: the content (a fault's, the answer option's,
// the judge's or the heuristics'), the max-tokens budget, and the response, whole or streamed.
import type { ServerResponse } from 'node:http';
import { heuristicAnswer } from '#core/providers/demo/heuristicAnswers.ts';
import { judgeAnswer } from '../judgeBehaviour.ts';
import { delayHeader, violatingAnswer } from './answers.ts';
import { choice, created, type Budgeted, type Flavour } from './flavours.ts';
import { tokensOf, type ParsedPrompt } from './helpers.ts';
import type { Io } from './io.ts';
import type { ReqCtx } from './options.ts';
import type { FaultKind } from './types.ts';

function answerContent(io: Io, c: ReqCtx, parsed: ParsedPrompt, fault: FaultKind | null): string {
  if (fault === 'invalid-json') {
    const shown = c.task ? `"${c.task}": ` : '';
    return `Sure! Based on the ticket, here is my answer:\n{${shown}aws, confidence: high`;
  }
  if (fault === 'schema-violation') return JSON.stringify(violatingAnswer(c.task));
  const opts = io.opts;
  let value: unknown;
  if (opts.answer) {
    value = opts.answer({
      api: c.api,
      model: c.model,
      task: c.task,
      ticketText: parsed.ticketText,
      platform: parsed.platform,
      product: parsed.product,
      authorization: c.authorization,
      messages: c.body.messages,
    });
  }
  if (value === undefined && !c.task) value = judgeAnswer(c.body.messages, opts.judge);
  if (value === undefined) {
    if (c.task) value = heuristicAnswer(c.task, parsed.ticketText, { platform: parsed.platform, product: parsed.product });
    else {
      const rfType = c.body.response_format?.type;
      return rfType === 'json_object' || rfType === 'json_schema' ? '{}' : 'This is a canned reply from the casebench fake provider.';
    }
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function reasoningText(f: Flavour, c: ReqCtx, parsed: ParsedPrompt): string | null {
  if (!f.showsReasoning(c)) return null;
  const topic = c.task ? `the ${c.task.replace('_', ' ')}` : 'the answer';
  const words = parsed.ticketText.split(/\s+/).slice(0, 8).join(' ');
  return `We need to determine ${topic} from the ticket. The ticket starts "${words}". Let's answer in the required JSON format.`;
}

/** Applies max_(completion_)tokens: a too-small budget truncates and ends with "length". */
function budget(f: Flavour, c: ReqCtx, content: string, reasoning: string | null): Budgeted {
  const maxRaw = c.body.max_completion_tokens ?? c.body.max_tokens;
  const max = typeof maxRaw === 'number' && maxRaw > 0 ? Math.floor(maxRaw) : Number.POSITIVE_INFINITY;
  let reasoningTokens = reasoning ? tokensOf(reasoning) : f.hiddenReasoningTokens(c.model);
  let completion = tokensOf(content);
  let finish = 'stop';
  if (reasoningTokens >= max) {
    reasoningTokens = max;
    completion = 0;
    content = '';
    if (reasoning) reasoning = reasoning.slice(0, max * 4);
    finish = 'length';
  } else if (reasoningTokens + completion > max) {
    completion = max - reasoningTokens;
    content = content.slice(0, completion * 4);
    finish = 'length';
  }
  return { content, reasoning, finish, usage: { prompt: c.promptTokens, completion, reasoning: reasoningTokens } };
}

function budgeted(io: Io, f: Flavour, c: ReqCtx, parsed: ParsedPrompt, fault: FaultKind | null): Budgeted {
  return budget(f, c, answerContent(io, c, parsed, fault), reasoningText(f, c, parsed));
}

/** Groq's usage.queue_time, seconds: a share of the answer time. */
const queueSeconds = (total: number): number => Math.min(total, 50) / 1000 / 2;

export async function respondNonStream(
  io: Io,
  f: Flavour,
  c: ReqCtx,
  res: ServerResponse,
  parsed: ParsedPrompt,
  fault: FaultKind | null,
  headers: Record<string, string>,
): Promise<void> {
  const total = io.latencyFor(c.model, c.task);
  if (!(await io.wait(total, res))) return;
  const b = budgeted(io, f, c, parsed, fault);
  const choices = fault === 'empty-choices' ? [] : [{ index: 0, message: f.message(b), logprobs: null, finish_reason: b.finish }];
  const body = f.completion(c, choices, b, queueSeconds(total));
  c.entry.delayMs = performance.now() - c.arrived;
  const h = { ...headers, ...f.answerHeaders(c), ...delayHeader(c.entry.delayMs) };
  if (fault === 'stream-cut') {
    // A non-streamed answer cut mid-body: full content-length promised, half delivered.
    const buf = Buffer.from(JSON.stringify(body), 'utf8');
    res.writeHead(200, { ...h, 'content-type': 'application/json', 'content-length': String(buf.length) });
    res.write(buf.subarray(0, Math.floor(buf.length / 2)), () => res.destroy());
    return;
  }
  io.sendJson(res, 200, body, h, f.prettyJson);
}

export async function respondStream(
  io: Io,
  f: Flavour,
  c: ReqCtx,
  res: ServerResponse,
  parsed: ParsedPrompt,
  fault: FaultKind | null,
  headers: Record<string, string>,
): Promise<void> {
  const total = io.latencyFor(c.model, c.task);
  const ttft = io.ttftFor(c.model, c.task, total);
  if (!(await io.wait(ttft, res))) return;
  const b = budgeted(io, f, c, parsed, fault);
  const frames = f.streamFrames(c, created());
  const write = (obj: unknown): boolean => {
    if (res.destroyed) return false;
    res.write(`data: ${JSON.stringify(obj)}\n\n`);
    return true;
  };
  const errorEvent = (): void => {
    res.end(`event: error\ndata: ${JSON.stringify(f.streamErrorPayload())}\n\n`);
  };

  res.writeHead(200, {
    ...headers,
    ...f.answerHeaders(c),
    // Elapsed to the first chunk plus the gaps still planned.
    ...delayHeader((c.entry.delayMs = performance.now() - c.arrived + (total - ttft))),
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });

  if (fault === 'empty-choices') {
    write(frames.empty());
    res.end('data: [DONE]\n\n');
    return;
  }

  write(frames.first());
  if (b.reasoning) {
    // gpt-oss streams its reasoning first, on the "analysis" channel.
    const half = Math.ceil(b.reasoning.length / 2);
    write(frames.chunk([choice({ reasoning: b.reasoning.slice(0, half), channel: 'analysis' })]));
    write(frames.chunk([choice({ reasoning: b.reasoning.slice(half), channel: 'analysis' })]));
  }
  const pieces: string[] = [];
  const size = Math.max(8, Math.ceil(b.content.length / 5));
  for (let i = 0; i < b.content.length; i += size) pieces.push(b.content.slice(i, i + size));
  const gap = pieces.length > 0 ? (total - ttft) / pieces.length : 0;

  for (let i = 0; i < pieces.length; i++) {
    if (i > 0 && !(await io.wait(gap, res))) return;
    if (fault === 'stream-cut' && i >= Math.max(1, Math.floor(pieces.length / 2))) {
      res.destroy();
      return;
    }
    if (fault === 'stream-error-event' && i === 1) return errorEvent();
    if (!write(frames.chunk([choice({ content: pieces[i] })]))) return;
  }
  if (fault === 'stream-cut') {
    res.destroy();
    return;
  }
  if (fault === 'stream-error-event') return errorEvent();
  if (pieces.length > 0 && !(await io.wait(gap, res))) return;
  for (const frame of frames.last(b, queueSeconds(total))) write(frame);
  res.end('data: [DONE]\n\n');
}
