import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '#core/catalog.ts';
import { resolveResourcesDir } from '#core/resources.ts';
import { overlayKeysMissingFrom, productEntries } from './catalogProducts.ts';
import { heuristicAnswer } from './heuristicAnswers.ts';

const productOf = (t: string, platform?: string | null): unknown =>
  (heuristicAnswer('product', t, { platform }) as { product: unknown }).product;

describe('demo product entries derived from the catalog', () => {
  afterAll(() => loadCatalog());

  it('every overlay key names a service of the shipped catalog', () => {
    expect(overlayKeysMissingFrom(loadCatalog())).toEqual([]);
  });

  it('a renamed catalog service is reported, not silently dropped from the demo', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'casebench-demo-cat-'));
    cpSync(resolveResourcesDir(), dir, { recursive: true });
    const aws = path.join(dir, 'catalog', 'aws.json');
    writeFileSync(aws, readFileSync(aws, 'utf8').replace('"name": "SQS"', '"name": "Simple Queue Service (SQS)"'));
    expect(overlayKeysMissingFrom(loadCatalog(dir))).toEqual(['aws/SQS']);
  });

  it('follows the catalog in use: an alias added to the catalog is read in tickets', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'casebench-demo-cat-'));
    cpSync(resolveResourcesDir(), dir, { recursive: true });
    const gcp = path.join(dir, 'catalog', 'gcp.json');
    writeFileSync(
      gcp,
      readFileSync(gcp, 'utf8').replace('"aliases": ["Cloud Firestore",', '"aliases": ["Firebase DB", "Cloud Firestore",'),
    );
    const t = 'Our Firebase DB writes time out';
    loadCatalog();
    expect(productOf(t, 'gcp')).toBeNull();
    loadCatalog(dir);
    expect(productOf(t, 'gcp')).toBe('Firestore');
    loadCatalog();
    expect(productOf(t, 'gcp')).toBeNull();
  });

  it('reads the catalog aliases a customer writes, once per mention', () => {
    loadCatalog();
    expect(productOf('Our Elastic Container Service tasks stop', 'aws')).toBe('Amazon ECS');
    expect(productOf('Fargate tasks stop with exit code 137', 'aws')).toBe('Amazon ECS');
    // "Amazon S3" holds "S3": one mention, so the two SQS mentions win.
    expect(productOf('Amazon S3 events go to SQS; SQS drops them', 'aws')).toBe('Amazon SQS');
  });

  it('counts the acronyms the overlay marks only in capitals', () => {
    expect(productOf('the ecs of our SQS consumers', 'aws')).toBe('Amazon SQS');
    expect(productOf('Our ECS service cannot pull images', 'aws')).toBe('Amazon ECS');
    expect(productOf('we use ecs for everything', 'aws')).toBeNull();
  });

  it('names services as AWS and Azure brand them and as Google does not', () => {
    const names = new Set(productEntries().map((e) => e.name));
    for (const n of [
      'Amazon S3',
      'AWS Lambda',
      'Elastic Load Balancing',
      'Azure Cosmos DB',
      'Microsoft Entra ID',
      'BigQuery',
      'Cloud Run',
      'Cloud Spanner',
    ])
      expect(names).toContain(n);
    expect(productOf('gsutil cp to gs://media-eu fails', 'gcp')).toBe('Cloud Storage');
  });
});
