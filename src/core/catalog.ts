// The product catalog (resources/catalog/<platform>.json): canonical service names per platform,
// their aliases, and the technical details an engineer typically needs for each.
// Product answers are folded through it so "Amazon S3", "AWS S3" and "s3 bucket" all count as "S3".
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '#shared/errors.ts';
import { readJsonResource, resolveResourcesDir } from './resources.ts';

/** Platforms that ship a catalog, in the order they are searched when the platform is unknown. */
export const CATALOG_PLATFORMS = ['aws', 'gcp', 'azure'] as const;
export type CatalogPlatform = (typeof CATALOG_PLATFORMS)[number];

const serviceSchema = z.object({
  name: z.string().trim().min(1),
  aliases: z.array(z.string().trim().min(1)).default([]),
  details: z.array(z.string().trim().min(1)).default([]),
});

const platformFileSchema = z.object({
  platform: z.enum(CATALOG_PLATFORMS),
  display_name: z.string().min(1),
  /** Vendor words that may prefix a service name ("Amazon", "AWS"); ignored when matching. */
  vendor_prefixes: z.array(z.string().min(1)).default([]),
  /** What identifiers look like on this platform (fed to the asset_ids prompt). */
  id_hints: z.array(z.string().min(1)).default([]),
  services: z.array(serviceSchema).min(1),
});

export interface CatalogService {
  name: string;
  aliases: string[];
  details: string[];
}

export interface PlatformCatalog {
  platform: CatalogPlatform;
  displayName: string;
  idHints: string[];
  services: CatalogService[];
  /** folded name/alias → canonical name (exact after folding). */
  exact: Map<string, string>;
  /** folded name/alias with a vendor prefix removed → canonical name (unambiguous ones only). */
  stripped: Map<string, string>;
  prefixes: string[];
}

export interface Catalog {
  platforms: Record<CatalogPlatform, PlatformCatalog>;
}

/** Folds a name for matching: case, accents, spaces and punctuation are ignored ("Pub/Sub" → "pubsub"). */
export function foldName(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

function stripPrefix(folded: string, prefixes: readonly string[]): string | null {
  for (const p of prefixes) {
    if (folded.length > p.length && folded.startsWith(p)) return folded.slice(p.length);
  }
  return null;
}

function buildPlatform(file: string, raw: z.infer<typeof platformFileSchema>): PlatformCatalog {
  const exact = new Map<string, string>();
  const seenNames = new Set<string>();
  for (const svc of raw.services) {
    if (seenNames.has(svc.name)) throw new AppError('BAD_INPUT', `${file}: service "${svc.name}" is listed twice`);
    seenNames.add(svc.name);
    for (const label of [svc.name, ...svc.aliases]) {
      const key = foldName(label);
      if (key === '') throw new AppError('BAD_INPUT', `${file}: "${label}" has no letters or digits`);
      const owner = exact.get(key);
      if (owner !== undefined && owner !== svc.name) {
        throw new AppError('BAD_INPUT', `${file}: "${label}" names both "${owner}" and "${svc.name}"`);
      }
      exact.set(key, svc.name);
    }
  }
  // Longest prefix first so "amazonwebservices" wins over "amazon".
  const prefixes = raw.vendor_prefixes
    .map(foldName)
    .filter((p) => p !== '')
    .sort((a, b) => b.length - a.length);
  const stripped = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const [key, name] of exact) {
    const s = stripPrefix(key, prefixes) ?? key;
    const owner = stripped.get(s);
    if (owner !== undefined && owner !== name) ambiguous.add(s);
    else stripped.set(s, name);
  }
  for (const s of ambiguous) stripped.delete(s);
  return {
    platform: raw.platform,
    displayName: raw.display_name,
    idHints: raw.id_hints,
    services: raw.services.map((s) => ({ name: s.name, aliases: s.aliases, details: s.details })),
    exact,
    stripped,
    prefixes,
  };
}

let active: Catalog | null = null;

/** Loads and validates resources/catalog/<platform>.json for every platform; the result becomes the default catalog. */
export function loadCatalog(resourcesDir?: string): Catalog {
  const dir = path.join(resolveResourcesDir(resourcesDir), 'catalog');
  const platforms = {} as Record<CatalogPlatform, PlatformCatalog>;
  for (const p of CATALOG_PLATFORMS) {
    const file = path.join(dir, `${p}.json`);
    const raw = readJsonResource(file, platformFileSchema);
    if (raw.platform !== p) {
      throw new AppError('BAD_INPUT', `${file}: declares platform "${raw.platform}" but the file is for "${p}"`);
    }
    platforms[p] = buildPlatform(file, raw);
  }
  active = { platforms };
  return active;
}

function current(catalog?: Catalog): Catalog {
  return catalog ?? active ?? loadCatalog();
}

/** The catalog in use: the one last loaded, or the shipped one (loaded once, on first use). */
export function activeCatalog(): Catalog {
  return current();
}

function asCatalogPlatform(platform: string | null | undefined): CatalogPlatform | null {
  const p = (platform ?? '').trim().toLowerCase();
  return (CATALOG_PLATFORMS as readonly string[]).includes(p) ? (p as CatalogPlatform) : null;
}

function lookup(pc: PlatformCatalog, folded: string): string | null {
  const hit = pc.exact.get(folded);
  if (hit !== undefined) return hit;
  const s = stripPrefix(folded, pc.prefixes) ?? folded;
  return pc.stripped.get(s) ?? null;
}

/** Finds the catalog entry for a product name (platform searched first, then all), or null when unknown. */
export function findService(
  platform: string | null,
  name: string | null,
  catalog?: Catalog,
): { platform: CatalogPlatform; service: CatalogService } | null {
  if (name === null) return null;
  const folded = foldName(name);
  if (folded === '') return null;
  const cat = current(catalog);
  const first = asCatalogPlatform(platform);
  const order = first ? [first, ...CATALOG_PLATFORMS.filter((p) => p !== first)] : [...CATALOG_PLATFORMS];
  for (const p of order) {
    const pc = cat.platforms[p];
    const hit = lookup(pc, folded);
    if (hit !== null) {
      const service = pc.services.find((s) => s.name === hit);
      if (service) return { platform: p, service };
    }
  }
  return null;
}

/** The canonical service name for `name` (aliases folded case/space/punctuation-insensitively); unknown names come back trimmed, blank ones as null. */
export function canonicalProduct(platform: string | null, name: string | null, catalog?: Catalog): string | null {
  if (name === null) return null;
  const trimmed = name.trim();
  if (trimmed === '') return null;
  return findService(platform, trimmed, catalog)?.service.name ?? trimmed;
}

/** Canonical service names of a platform, in catalog order ([] for platforms without a catalog). */
export function servicesFor(platform: string | null, catalog?: Catalog): string[] {
  const p = asCatalogPlatform(platform);
  return p ? current(catalog).platforms[p].services.map((s) => s.name) : [];
}

/** Technical details an engineer typically needs for a product ([] when the product is not in the catalog). */
export function detailsFor(platform: string | null, product: string | null, catalog?: Catalog): string[] {
  return findService(platform, product, catalog)?.service.details ?? [];
}

/** What identifiers look like on a platform ([] for platforms without a catalog). */
export function idHintsFor(platform: string | null, catalog?: Catalog): string[] {
  const p = asCatalogPlatform(platform);
  return p ? current(catalog).platforms[p].idHints : [];
}
