// Where the shipped data (resources/: prompts, catalog, models.json, demo) lives.
// This module sits at src/core/, so '../../resources/' is the repo's resources dir; in the
// electron-vite bundle (out/main/index.js) the same relative URL also lands on <app>/resources/.
// A host that relocates the files (packaged Electron: process.resourcesPath) calls
// setResourcesDir() once, or passes an explicit dir to each loader.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { z } from 'zod';
import { AppError } from '#shared/errors.ts';

let override: string | null = null;

/** Sets the resources dir used when a loader gets no explicit dir (null restores the default). */
export function setResourcesDir(dir: string | null): void {
  override = dir === null ? null : path.resolve(dir);
}

/**
 * The package's own folder (package.json, resources/, out/renderer/): two levels above this module
 * in the sources (src/core/) and in the builds (out/main/, out/cli/).
 */
export function packageDir(): string {
  return fileURLToPath(new URL('../../', import.meta.url));
}

/** The package's version (package.json), or '0' when it cannot be read. */
export function packageVersion(): string {
  try {
    const v = (JSON.parse(readFileSync(path.join(packageDir(), 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : '0';
  } catch {
    return '0';
  }
}

/** The resources dir: the explicit one if given, else the host's override, else the one next to the sources. */
export function resolveResourcesDir(explicit?: string): string {
  if (explicit !== undefined) return path.resolve(explicit);
  if (override !== null) return override;
  return path.join(packageDir(), 'resources');
}

/** Reads a JSON file and validates it with `schema`; any failure names the file. */
export function readJsonResource<T>(file: string, schema: z.ZodType<T>): T {
  const text = readTextResource(file);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new AppError('BAD_INPUT', `${file}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new AppError('BAD_INPUT', `${file}: ${describeZodIssues(parsed.error.issues)}`);
  }
  return parsed.data;
}

/** Reads a UTF-8 text file; a missing or unreadable file fails with BAD_INPUT naming it. */
export function readTextResource(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError('BAD_INPUT', `${file}: cannot read (${code ?? (e as Error).message})`);
  }
}

/** A short human summary of the first few zod issues: "services.3.name: expected string". */
export function describeZodIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
