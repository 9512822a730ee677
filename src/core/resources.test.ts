import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SEVERITIES } from '#shared/tasks.ts';
import { WIRE_SCHEMAS } from '#shared/wireSchemas.ts';
import { canonicalProduct, loadCatalog } from './catalog.ts';
import { checkTicket } from './graph/ticketGate.ts';
import { loadModels } from './models.ts';
import { resolveResourcesDir, setResourcesDir } from './resources.ts';

const repoResources = resolveResourcesDir();

function tmpResources(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'casebench-res-'));
  cpSync(repoResources, dir, { recursive: true });
  return dir;
}

afterEach(() => setResourcesDir(null));

describe('resources dir', () => {
  it('defaults to the repo resources and can be relocated (packaged Electron)', () => {
    expect(readFileSync(path.join(repoResources, 'models.json'), 'utf8')).toContain('"models"');
    const dir = tmpResources();
    const file = path.join(dir, 'models.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"GPT-4o"', '"GPT-4o (relocated)"'));
    expect(loadModels(dir).byId.get('openai:gpt-4o')?.displayName).toBe('GPT-4o (relocated)');
    setResourcesDir(dir);
    expect(loadModels().byId.get('openai:gpt-4o')?.displayName).toBe('GPT-4o (relocated)');
    setResourcesDir(null);
    expect(loadModels().byId.get('openai:gpt-4o')?.displayName).toBe('GPT-4o');
  });

  it('fails with a message naming the broken file', () => {
    const dir = tmpResources();
    const models = path.join(dir, 'models.json');
    writeFileSync(models, '{"models": [{"id": "openai:gpt-4o"}]}');
    expect(() => loadModels(dir)).toThrow(models);
    writeFileSync(models, '{ not json');
    expect(() => loadModels(dir)).toThrow(/models\.json: not valid JSON/);
    const gcp = path.join(dir, 'catalog', 'gcp.json');
    const data = JSON.parse(readFileSync(gcp, 'utf8'));
    data.services.push({ name: 'Bogus', aliases: ['BQ'] });
    writeFileSync(gcp, JSON.stringify(data));
    expect(() => loadCatalog(dir)).toThrow(`${gcp}: "BQ" names both "BigQuery" and "Bogus"`);
  });
});

describe('demo tickets', () => {
  const file = path.join(repoResources, 'demo', 'tickets.jsonl');
  const lineSchema = z.object({
    id: z.string().min(1),
    text: z.string(),
    title: z.string().optional(),
    created_at: z.string().optional(),
    labels: z
      .object({
        platform: WIRE_SCHEMAS.platform.shape.platform.optional(),
        product: z.string().nullable().optional(),
        severity: z.enum(SEVERITIES).optional(),
        asset_ids: z.array(z.string()).optional(),
        has_technical_details: z.boolean().optional(),
      })
      .strict()
      .optional(),
  });
  const tickets = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => lineSchema.parse(JSON.parse(l)));
  const catalog = loadCatalog();

  it('are varied: every platform, every severity, ids in URLs, and one too short to triage', () => {
    expect(tickets.length).toBeGreaterThanOrEqual(12);
    expect(new Set(tickets.map((t) => t.id)).size).toBe(tickets.length);
    const platforms = new Set(tickets.map((t) => t.labels?.platform));
    for (const p of ['aws', 'gcp', 'azure']) expect(platforms).toContain(p);
    expect([...platforms].some((p) => typeof p === 'string' && p.startsWith('other:'))).toBe(true);
    expect(new Set(tickets.map((t) => t.labels?.severity))).toEqual(new Set([...SEVERITIES, undefined]));
    expect(tickets.filter((t) => !checkTicket(t.text).ok).map((t) => t.id)).toEqual(['demo-004']);
    const idInUrl = (t: (typeof tickets)[number]): boolean =>
      [...t.text.matchAll(/https?:\/\/\S+/g)].some((u) => (t.labels?.asset_ids ?? []).some((id) => u[0].includes(id)));
    expect(tickets.filter(idInUrl).length).toBeGreaterThanOrEqual(2);
  });

  it('label asset ids that appear verbatim in the ticket and products by canonical name', () => {
    for (const t of tickets) {
      for (const id of t.labels?.asset_ids ?? []) expect(t.text, `${t.id} ${id}`).toContain(id);
      const product = t.labels?.product;
      if (product) expect(canonicalProduct(t.labels?.platform ?? null, product, catalog), t.id).toBe(product);
    }
  });
});
