import { describe, expect, it } from 'vitest';
import { canonicalProduct, detailsFor, findService, foldName, loadCatalog, servicesFor } from './catalog.ts';

const catalog = loadCatalog();

describe('canonicalProduct', () => {
  it('folds the aliases a model is likely to write to one canonical name', () => {
    for (const name of ['Amazon S3', 'AWS S3', 'Simple Storage Service', 's3 bucket', 'S3', ' amazon s3 ']) {
      expect(canonicalProduct('aws', name, catalog)).toBe('S3');
    }
    expect(canonicalProduct('gcp', 'Google BigQuery', catalog)).toBe('BigQuery');
    expect(canonicalProduct('gcp', 'BQ', catalog)).toBe('BigQuery');
    expect(canonicalProduct('azure', 'Azure Kubernetes Service', catalog)).toBe('AKS');
  });

  it('ignores case, spacing and punctuation', () => {
    expect(canonicalProduct('gcp', 'pubsub', catalog)).toBe('Pub/Sub');
    expect(canonicalProduct('aws', 'route53', catalog)).toBe('Route 53');
    expect(canonicalProduct('aws', 'DYNAMO-DB', catalog)).toBe('DynamoDB');
  });

  it('accepts a vendor prefix the catalog does not list', () => {
    expect(canonicalProduct('aws', 'Amazon Lambda', catalog)).toBe('Lambda');
    expect(canonicalProduct('azure', 'Microsoft Azure Key Vault', catalog)).toBe('Key Vault');
  });

  it('searches the given platform first, then the others', () => {
    // "IAM" exists on aws and gcp: the platform decides.
    expect(findService('gcp', 'IAM', catalog)?.platform).toBe('gcp');
    expect(findService('aws', 'IAM', catalog)?.platform).toBe('aws');
    // "Billing" means a different canonical service per platform.
    expect(canonicalProduct('aws', 'Billing', catalog)).toBe('Billing and Cost Management');
    expect(canonicalProduct('azure', 'billing', catalog)).toBe('Cost Management');
    // Wrong or missing platform still finds the service elsewhere.
    expect(canonicalProduct('azure', 'Amazon S3', catalog)).toBe('S3');
    expect(canonicalProduct(null, 'Google Kubernetes Engine', catalog)).toBe('GKE');
    expect(canonicalProduct('other:snowflake', 'AKS', catalog)).toBe('AKS');
  });

  it('keeps unknown names as given (trimmed) and blank ones as null', () => {
    expect(canonicalProduct('other:snowflake', '  Virtual Warehouses ', catalog)).toBe('Virtual Warehouses');
    expect(canonicalProduct('aws', '   ', catalog)).toBeNull();
    expect(canonicalProduct('aws', null, catalog)).toBeNull();
  });
});

describe('catalog contents', () => {
  it('lists 25–40 canonical services per platform, each with details an engineer needs', () => {
    for (const p of ['aws', 'gcp', 'azure']) {
      const names = servicesFor(p, catalog);
      expect(names.length).toBeGreaterThanOrEqual(25);
      expect(names.length).toBeLessThanOrEqual(40);
      for (const n of names) expect(detailsFor(p, n, catalog).length).toBeGreaterThan(0);
    }
    expect(detailsFor('aws', 'Amazon RDS', catalog)).toEqual(
      expect.arrayContaining(['engine and engine version', 'instance class', 'region', 'error message']),
    );
  });

  it('has nothing for platforms without a catalog', () => {
    expect(servicesFor('other:snowflake', catalog)).toEqual([]);
    expect(servicesFor(null, catalog)).toEqual([]);
    expect(detailsFor('aws', 'Unknown Thing', catalog)).toEqual([]);
  });

  it('folds names to letters and digits only', () => {
    expect(foldName('Cloud Pub/Sub')).toBe('cloudpubsub');
    expect(foldName('Entra ID')).toBe(foldName('entra-id'));
  });
});
