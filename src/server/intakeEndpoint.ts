// POST /intake/tickets on `casebench serve`: a helpdesk webhook posts one ticket {id?, text,
// title?} or an array of them with `Authorization: Bearer <intake token>`; the answer is 202 with
// the ticket ids (triage and shadow models follow in the background). Wrong or missing token →
// 401, a body that is not JSON or not tickets → 400 saying where and why, over the size limit →
// 413. The token is checked before the body is read, compared in constant time, and never echoed
// or logged. Unlike the workbench's API this route takes no start token and no Origin: it is for
// servers, so it accepts no cookies and answers no CORS preflight (a web page cannot post JSON to it).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IntakeEndpoint } from '#core/live/httpIntake.ts';
import { readBody, sendError, sendJson } from './server.ts';

export type { IntakeEndpoint };

export const INTAKE_PATH = '/intake/tickets';
/** Largest intake body (bytes). */
export const MAX_INTAKE_BODY_BYTES = 2 * 1024 * 1024;

function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1]! : null;
}

export async function serveIntake(req: IncomingMessage, res: ServerResponse, ep: IntakeEndpoint): Promise<void> {
  if (req.method !== 'POST') return sendError(res, 405, 'BAD_INPUT', `use POST for ${INTAKE_PATH}`, { allow: 'POST' });
  const token = bearer(req);
  if (!(await ep.verify(token))) {
    return sendError(
      res,
      401,
      'AUTH',
      token === null
        ? 'missing intake token: send Authorization: Bearer <token> (Settings → Intake)'
        : 'wrong intake token (Settings → Intake shows the current one)',
      {
        'www-authenticate': 'Bearer realm="casebench intake"',
        connection: 'close',
      },
    );
  }
  const ctype = (Array.isArray(req.headers['content-type']) ? req.headers['content-type'][0] : req.headers['content-type']) ?? '';
  if (!/^application\/json\s*(;|$)/i.test(ctype)) {
    return sendError(res, 415, 'BAD_INPUT', 'send the tickets as JSON (Content-Type: application/json)');
  }
  const read = await readBody(req, MAX_INTAKE_BODY_BYTES);
  if (read.kind === 'aborted') return;
  if (read.kind === 'too-large') {
    return sendError(
      res,
      413,
      'BAD_INPUT',
      `request body exceeds the limit of ${MAX_INTAKE_BODY_BYTES} bytes (2 MB); post fewer tickets at a time`,
      { connection: 'close' },
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(read.body.toString('utf8'));
  } catch (e) {
    return sendError(res, 400, 'BAD_INPUT', `body is not valid JSON: ${(e as Error).message}`);
  }
  const r = await ep.submit(body);
  if (!r.ok) return sendError(res, 400, 'BAD_INPUT', r.message);
  sendJson(res, 202, { ok: true, ids: r.ids, runId: r.runId });
}
