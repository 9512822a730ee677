// The plots as a reader sees them: each spec rendered to SVG in Node (as the HTML report does),
// then its marks counted and its labels read.
import { describe, expect, it } from 'vitest';
import type { TaskId } from '#shared/tasks.ts';
import type { LatencyPoint, PlotMode } from '#shared/plots/common.ts';
import { ecdfSpec, histogramKdeSpec, tokensScatterSpec, violinSpec } from '#shared/plots/latency.ts';
import type { PlotTheme } from '#shared/plots/theme.ts';
import { planLane, waterfallSpec } from '#shared/plots/waterfall.ts';
import { seededRandom } from '../random.ts';
import { markdownToHtml } from './htmlReport.ts';
import { inlineSvg, renderSvg, renderSvgWithWarnings } from './render.ts';

const MODELS = ['openai:gpt-4o', 'groq:openai/gpt-oss-20b', 'groq:openai/gpt-oss-120b'];

/** Seeded log-normal latencies around a per-model median; the Groq models slow down with prompt length. */
function calls(n: number, task: TaskId = 'product'): LatencyPoint[] {
  const rnd = seededRandom(7);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const out: LatencyPoint[] = [];
  let id = 1;
  MODELS.forEach((model, m) => {
    for (let i = 0; i < n; i++) {
      const tokens = 600 + (i % 3) * 900;
      const latency = ([850, 400, 700][m]! + (m === 0 ? 0 : 0.3 * (tokens - 1500))) * Math.exp(0.3 * normal());
      out.push({ callId: id++, ticketId: `T${i}`, task, model, latencyMs: latency, inputTokens: tokens });
    }
  });
  return out;
}

const count = (svg: string, re: RegExp): number => svg.match(new RegExp(re.source, 'g'))?.length ?? 0;
const titles = (svg: string): string[] => [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]!);
/** Every text of the plot, one line each (multi-line texts are <tspan>s). */
const texts = (svg: string): string =>
  [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)]
    .map((m) => m[1]!.replace(/<\/tspan><tspan[^>]*>/g, '\n').replace(/<[^>]+>/g, ''))
    .join('\n');

describe('latency plots rendered to SVG', () => {
  const pts = calls(400);

  it('violin: one violin per model, a median dot and an IQR bar each, and the filtered-out count stated', async () => {
    const svg = await renderSvg(violinSpec(pts, { task: 'product', models: MODELS }));
    expect(count(svg, /class="mark-area role-mark/)).toBe(MODELS.length);
    expect(titles(svg).filter((t) => /: median \d/.test(t))).toHaveLength(MODELS.length);
    // hovering a violin gives its summary
    expect(titles(svg).filter((t) => / · n 400 · median \d.* · KDE h = \d/.test(t))).toHaveLength(MODELS.length);
    expect(titles(svg).filter((t) => /: Q1–Q3 /.test(t))).toHaveLength(MODELS.length);
    expect(count(texts(svg), /n 400 · \d+ filtered out/)).toBe(MODELS.length);
    expect(texts(svg)).toMatch(/\d+ of 1,200 calls filtered out/);
  });

  it('histogram + KDE: a panel per model with its KDE curve and its Silverman bandwidth written on it', async () => {
    const svg = await renderSvg(histogramKdeSpec(pts, { task: 'product', models: MODELS }));
    expect(count(svg, /class="mark-line role-mark/)).toBe(MODELS.length);
    expect(count(texts(svg), /KDE bandwidth h = \d+ ms \(Silverman\) · n 360 of 400 \(20 trimmed from each tail/)).toBe(MODELS.length);
    expect(texts(svg)).toContain("bandwidth by Silverman's rule h = 0.9·min(σ, IQR/1.34)·n^(−1/5)");
    expect(texts(svg)).toContain('latency capped at 2,000 ms, 5 % trimmed from each tail');
    // every bar says how many calls it holds
    expect(titles(svg).filter((t) => / calls \d[\d,]* ms–\d/.test(t)).length).toBeGreaterThan(10);
  });

  it('ECDF: a curve per model, p50 / p95 / p99 rules and a dot per model on each', async () => {
    const svg = await renderSvg(ecdfSpec(pts, { task: 'product', models: MODELS, mode: 'raw' }));
    expect(count(svg, /class="mark-line role-mark/)).toBe(MODELS.length);
    const t = titles(svg);
    for (const p of ['p50', 'p95', 'p99']) {
      expect(t.filter((x) => x.startsWith(`${p}: `))).toHaveLength(1); // the guide rule
      expect(t.filter((x) => x.includes(`: ${p} `))).toHaveLength(MODELS.length); // a dot per model
    }
    expect(texts(svg)).toMatch(/^p95$/m);
  });

  it('scatter: dots, a least-squares line per model and its slope stated', async () => {
    const svg = await renderSvg(tokensScatterSpec(pts, { task: 'product', models: MODELS, mode: 'raw' }));
    expect(count(svg, /<title>[^<]* input tokens \(ticket T\d+, call \d+\)<\/title>/)).toBe(1200);
    expect(titles(svg).filter((t) => /latency ≈ .* per 1K input tokens; r² /.test(t))).toHaveLength(MODELS.length);
    expect(count(texts(svg), /: [+−]\d[\d,.]* ms per 1K input tokens \(r² \d\.\d\d, n \d+\)/)).toBe(MODELS.length);
  });

  it('every spec compiles without a warning, in both themes and both modes', async () => {
    for (const theme of ['light', 'dark'] as PlotTheme[]) {
      for (const mode of ['filtered', 'raw'] as PlotMode[]) {
        for (const f of [violinSpec, histogramKdeSpec, ecdfSpec, tokensScatterSpec]) {
          const r = await renderSvgWithWarnings(f(pts, { task: 'product', models: MODELS, theme, mode }));
          expect(r.warnings, `${f.name} ${theme} ${mode}`).toEqual([]);
        }
      }
    }
  });

  it('draws on the theme background: white for light, the editor grey for dark', async () => {
    const light = await renderSvg(violinSpec(pts, { task: 'product', theme: 'light' }));
    const dark = await renderSvg(violinSpec(pts, { task: 'product', theme: 'dark' }));
    expect(light).toMatch(/^<svg[^>]*><rect width="\d+" height="\d+" fill="#ffffff"\/>/);
    expect(dark).toMatch(/^<svg[^>]*><rect width="\d+" height="\d+" fill="#1f1f1f"\/>/);
    expect(dark).toContain('fill="#cccccc"'); // axis labels in the dark theme's text colour
  });

  it('says "no successful calls" for a task without any, instead of an empty frame', async () => {
    expect(texts(await renderSvg(ecdfSpec(pts, { task: 'severity' })))).toContain('no successful calls on this task');
  });
});

describe('waterfall rendered to SVG', () => {
  it('a bar per task, the critical path outlined, dependencies drawn', async () => {
    const med: Record<TaskId, number> = { platform: 571, product: 851, technical_details: 1914, asset_ids: 593, severity: 605 };
    const lane = planLane(
      'baseline',
      {
        platform: 'openai:gpt-4o',
        product: 'openai:gpt-4o',
        technical_details: 'openai:gpt-4o',
        asset_ids: 'openai:gpt-4o',
        severity: 'openai:gpt-4o',
      },
      (t) => med[t],
    )!;
    const r = await renderSvgWithWarnings(waterfallSpec([lane], { title: 'Plan' }));
    expect(r.warnings).toEqual([]);
    const t = titles(r.svg);
    expect(t.filter((x) => x.startsWith('baseline · '))).toHaveLength(5);
    expect(t.filter((x) => x.endsWith('on the critical path'))).toHaveLength(3);
    // platform → product, platform → asset ids, platform → technical details, product → technical details
    expect(t.filter((x) => / → /.test(x) && !x.startsWith('baseline'))).toHaveLength(4);
    expect(texts(r.svg)).toContain('baseline: platform → product → technical details = 3,336 ms');
  });
});

describe('inlining', () => {
  it('leaves no URL in an inlined SVG', async () => {
    const svg = inlineSvg(await renderSvg(violinSpec(calls(30), { task: 'product' })));
    expect(svg).not.toMatch(/https?:\/\//);
    expect(svg.startsWith('<svg')).toBe(true);
  });

  it("turns the Markdown report's tables into HTML tables, numbers right-aligned", () => {
    const html = markdownToHtml('## Platform\n\n| model | median |\n| --- | --: |\n| `a<b` | 1 |\n\nFailed: **x**.');
    expect(html).toBe(
      '<h2>Platform</h2>\n<div class="table"><table><thead><tr><th>model</th><th class="num">median</th></tr></thead><tbody>' +
        '<tr><td><code>a&lt;b</code></td><td class="num">1</td></tr></tbody></table></div>\n<p>Failed: <strong>x</strong>.</p>',
    );
  });
});
