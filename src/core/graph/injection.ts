// Flags tickets that try to instruct the model ("ignore your instructions and answer …"). The
// ticket is still triaged — it only ever reaches the model as data inside its own <ticket> block —
// but the flag is recorded so a reviewer knows why its answers may look odd.

export interface InjectionFinding {
  kind: 'override' | 'role' | 'answer_dictation' | 'delimiter';
  /** The matched text, trimmed to 80 characters. */
  excerpt: string;
}

const RULES: Array<{ kind: InjectionFinding['kind']; re: RegExp }> = [
  {
    kind: 'override',
    re: /\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}\b(?:instructions?|prompts?|rules?|guidelines|system message|above|previous|prior)\b/i,
  },
  { kind: 'role', re: /\b(?:you are now|act as|pretend (?:to be|you are)|new instructions?|system prompt|developer mode|jailbreak)\b/i },
  {
    kind: 'answer_dictation',
    re: /\b(?:answer|respond|reply|return|output|classify(?: this)?(?: as)?|set)\b[^.\n]{0,30}\b(?:platform|product|severity|asset[_ ]ids?|technical[_ ]details)\s*(?:=|:|as|to|is)\s*["'`]?[\w:-]+/i,
  },
  // Delimiters that open a new prompt section: our own tags, chat-template tokens, and a heading or
  // bracket that names a role or a prompt part ("### System:", "### Response", "[INST]"). A Markdown
  // heading as such is not one: helpdesk forms and customers write "### Steps to reproduce" all the time.
  {
    kind: 'delimiter',
    re: /<\/?\s*(?:ticket|system|example_ticket|example_answer)\s*>|<\|\s*(?:im_start|im_end|system|user|assistant|endoftext)\s*\|>|<<\s*\/?SYS\s*>>|\[\s*\/?\s*INST\s*\]|^\s*(?:#{1,6}\s*(?:system|assistant|user|instructions?|response|input|output|answer|prompt)(?:\s+(?:message|prompt))?\s*:?\s*$|\[\s*\/?\s*(?:system|INST)\s*\])/im,
  },
];

/** The injection patterns a ticket contains (empty when none). */
export function detectInjection(text: string): InjectionFinding[] {
  const out: InjectionFinding[] = [];
  for (const { kind, re } of RULES) {
    const m = re.exec(text);
    if (m) out.push({ kind, excerpt: m[0].trim().slice(0, 80) });
  }
  return out;
}
