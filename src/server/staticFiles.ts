// Serves the built renderer from one folder and nothing outside it.
import { realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticLookup =
  | { kind: 'file'; path: string; size: number; contentType: string }
  | { kind: 'bad'; status: 400 | 404; reason: string };

/**
 * Maps a raw request path (before any decoding, without the query) to a file inside `rootReal`
 * (the realpath of the static folder). Traversal in any spelling is refused, not normalised away.
 */
export async function lookupStatic(rootReal: string, rawPath: string): Promise<StaticLookup> {
  if (!rawPath.startsWith('/') || rawPath.startsWith('//')) return { kind: 'bad', status: 400, reason: 'bad path' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'bad', status: 400, reason: 'bad path encoding' };
  }
  if (decoded.includes('\0')) return { kind: 'bad', status: 400, reason: 'null byte in path' };
  if (decoded.includes('\\')) return { kind: 'bad', status: 400, reason: 'backslash in path' };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return { kind: 'bad', status: 400, reason: 'path traversal' };
  // Second decoding round catches %252e%252e and friends; such names are never ours anyway.
  if (/%2e|%2f|%5c|%00/i.test(decoded)) return { kind: 'bad', status: 400, reason: 'encoded path characters' };

  const relative = decoded === '/' || decoded.endsWith('/') ? `${decoded}index.html` : decoded;
  const rel = relative.replace(/^\/+/, '');
  if (isAbsolute(rel) || /^[a-zA-Z]:/.test(rel)) return { kind: 'bad', status: 400, reason: 'absolute path' };
  const candidate = resolve(rootReal, rel);
  if (!candidate.startsWith(rootReal + sep)) return { kind: 'bad', status: 404, reason: 'not found' };
  try {
    // Resolve symlinks too: a link inside the folder must not lead outside it.
    const real = await realpath(candidate);
    if (!real.startsWith(rootReal + sep)) return { kind: 'bad', status: 404, reason: 'not found' };
    const st = await stat(real);
    if (!st.isFile()) return { kind: 'bad', status: 404, reason: 'not found' };
    return { kind: 'file', path: real, size: st.size, contentType: contentTypeFor(real) };
  } catch {
    return { kind: 'bad', status: 404, reason: 'not found' };
  }
}
