// How a model is marked wherever one is chosen: retired, price unknown, unknown, simulated.
import type { KeyStatus, ModelInfo } from '#shared/routes.ts';
import './compare.css';

export interface ModelMark {
  text: string;
  kind: 'retired' | 'price' | 'unknown' | 'demo' | 'key' | 'deprecated';
  title: string;
}

export function modelMarks(spec: string, models: ModelInfo[], keys: KeyStatus[] | null): ModelMark[] {
  const m = models.find((x) => x.spec === spec);
  const provider = spec.slice(0, spec.indexOf(':'));
  const out: ModelMark[] = [];
  if (!m) out.push({ text: 'unknown model', kind: 'unknown', title: 'Not in the model registry: no price, no lifecycle information' });
  else {
    if (m.status === 'retired')
      out.push({
        text: `retired${m.retiredOn ? ` ${m.retiredOn}` : ''}${m.replacement ? ` · use ${m.replacement}` : ''}`,
        kind: 'retired',
        title: m.lifecycle ?? (m.replacement ? `Shut down; use ${m.replacement}` : 'Shut down by the provider'),
      });
    else if (m.status === 'deprecated' || m.retiredOn)
      out.push({
        text: m.retiredOn ? `shuts down ${m.retiredOn}` : 'deprecated',
        kind: 'deprecated',
        title: m.lifecycle ?? (m.retiredOn ? `Shuts down ${m.retiredOn}` : 'Deprecated by the provider'),
      });
    if (!m.priceKnown)
      out.push({ text: 'price unknown', kind: 'price', title: 'No researched price: its cost shows as unknown, never $0' });
  }
  if (provider === 'demo')
    out.push({ text: 'simulated', kind: 'demo', title: 'Keyless demo: latencies and failures simulated from the seed article' });
  const k = keys?.find((x) => x.provider === provider);
  if (k && !k.set) out.push({ text: 'no key', kind: 'key', title: `No ${provider} API key is set` });
  return out;
}

export function Marks({ marks }: { marks: ModelMark[] }) {
  if (marks.length === 0) return null;
  return (
    <span className="marks">
      {marks.map((m) => (
        <span key={m.kind} className={`mark mark-${m.kind}`} title={m.title}>
          {m.text}
        </span>
      ))}
    </span>
  );
}
