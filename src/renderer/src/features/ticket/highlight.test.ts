import { describe, expect, it } from 'vitest';
import { findMarks, segments, specificTokens } from './highlight.ts';

const TEXT = `Since the auto-upgrade to 1.29.4-gke.1043 our cluster gke-prod-eu-1 (project acme-prod-42, europe-west1-b)
stops scheduling pods with "0/3 nodes are available". Project acme-prod-42 is production.`;

describe('highlighting facts in the ticket text', () => {
  it('marks every occurrence of each asset id, as whole tokens', () => {
    const marks = findMarks(TEXT, ['acme-prod-42', 'gke-prod-eu-1'], []);
    expect(marks.filter((m) => m.label === 'acme-prod-42')).toHaveLength(2);
    expect(marks.every((m) => TEXT.slice(m.start, m.end).toLowerCase() === m.label.toLowerCase())).toBe(true);
    expect(findMarks('account 1429 and 42', ['42'], [])).toEqual([{ start: 17, end: 19, kind: 'asset', label: '42' }]);
  });
  it('finds a detail by its specific tokens when the model paraphrased it', () => {
    const marks = findMarks(TEXT, [], ['cluster version 1.29.4-gke.1043', 'error: "0/3 nodes are available"']);
    const found = marks.map((m) => TEXT.slice(m.start, m.end));
    expect(found).toContain('1.29.4-gke.1043');
    expect(found).toContain('0/3 nodes are available');
    expect(marks.every((m) => m.kind === 'detail')).toBe(true);
  });
  it('lets an asset id win where a detail overlaps it, and never overlaps marks', () => {
    const marks = findMarks(TEXT, ['acme-prod-42'], ['project acme-prod-42']);
    for (let i = 1; i < marks.length; i++) expect(marks[i]!.start).toBeGreaterThanOrEqual(marks[i - 1]!.end);
    expect(marks.find((m) => TEXT.slice(m.start, m.end) === 'acme-prod-42')?.kind).toBe('asset');
  });
  it('rebuilds the exact text from its segments', () => {
    const marks = findMarks(TEXT, ['acme-prod-42'], ['1.29.4-gke.1043']);
    expect(
      segments(TEXT, marks)
        .map((s) => s.text)
        .join(''),
    ).toBe(TEXT);
  });
  it('ignores generic words in a detail', () => {
    expect(specificTokens('region europe-west1 and the cluster')).toEqual(['europe-west1']);
  });
});
