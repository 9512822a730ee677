// The display name of a trace file's format (LangSmith, Langfuse, OTLP, …).
const FORMAT_LABEL: Record<string, string> = {
  casebench: 'casebench',
  langsmith: 'LangSmith',
  langfuse: 'Langfuse',
  otlp: 'OTLP',
  openinference: 'OpenInference',
  promptfoo: 'promptfoo',
};
export const formatLabel = (f: string | null): string => (f ? (FORMAT_LABEL[f] ?? f) : 'trace');
