// Error bodies as each API flavour writes them (Groq's and OpenAI's shapes, Cloudflare's 502, a
// model not found, a bad request), with a key echoed the way real gateways sometimes do.
import type { ApiFlavor } from './types.ts';

export interface ErrBody {
  status: number;
  /** Raw body text (already framed per API). */
  text: string;
  contentType: string;
  retryAfterS?: number;
}

/** The error body with the Authorization header appended to its message, as a leaky gateway would. */
export function echoIntoError(text: string, authorization: string): string {
  const note = ` (gateway: request had Authorization: ${authorization})`;
  try {
    const v = JSON.parse(text) as { error?: { message?: unknown } };
    if (v && typeof v.error === 'object' && v.error) {
      v.error.message = `${typeof v.error.message === 'string' ? v.error.message : ''}${note}`;
      return JSON.stringify(v);
    }
  } catch {
    // not JSON: append to the text
  }
  return `${text}${note}`;
}

export function groqError(status: number, error: Record<string, unknown>): ErrBody {
  // Groq error bodies are compact JSON followed by a newline (content-length 96 for the 401).
  return { status, text: JSON.stringify({ error }) + '\n', contentType: 'application/json' };
}

export function openaiError(status: number, message: string, type: string, param: string | null, code: string | null): ErrBody {
  // OpenAI pretty-prints errors with four spaces and always includes `param`.
  return {
    status,
    text: JSON.stringify({ error: { message, type, param, code } }, null, 4) + '\n',
    contentType: 'application/json; charset=utf-8',
  };
}

export function cloudflare502(): ErrBody {
  // Both APIs sit behind Cloudflare; a bad gateway arrives as its HTML page, not JSON.
  return {
    status: 502,
    text: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n',
    contentType: 'text/html',
  };
}

export function modelNotFound(api: ApiFlavor, model: string): ErrBody {
  const message = `The model \`${model}\` does not exist or you do not have access to it.`;
  return api === 'groq'
    ? groqError(404, { message, type: 'invalid_request_error', code: 'model_not_found' })
    : openaiError(404, message, 'invalid_request_error', null, 'model_not_found');
}

export function badRequest(api: ApiFlavor, message: string, param: string | null, code: string | null): ErrBody {
  if (api === 'groq') {
    const error: Record<string, unknown> = { message, type: 'invalid_request_error' };
    if (code) error.code = code;
    if (param) error.param = param;
    return groqError(400, error);
  }
  return openaiError(400, message, 'invalid_request_error', param, code);
}

// ---------------------------------------------------------------------------------------------
