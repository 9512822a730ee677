// Facts of each API flavour the fake imitates: OpenAI's dated snapshots, the rate-limit links, and
// the rate-limit header defaults when no limit is enforced.

// Dated snapshots OpenAI reports in `model` for an alias.
export const OPENAI_SNAPSHOTS: Record<string, string> = {
  'gpt-4o': 'gpt-4o-2024-08-06',
  'gpt-4o-mini': 'gpt-4o-mini-2024-07-18',
  'gpt-4.1': 'gpt-4.1-2025-04-14',
  'gpt-4.1-mini': 'gpt-4.1-mini-2025-04-14',
  'gpt-4.1-nano': 'gpt-4.1-nano-2025-04-14',
  'gpt-5': 'gpt-5-2025-08-07',
  'gpt-5-mini': 'gpt-5-mini-2025-08-07',
  'gpt-5-nano': 'gpt-5-nano-2025-08-07',
};

export const GROQ_BILLING = 'Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing';
export const OPENAI_RL_LINK = 'Visit https://platform.openai.com/account/rate-limits to learn more.';

// Defaults for the rate-limit headers when no limit is enforced (Groq "requests" = per day).
export const GROQ_RPD = 1000;
export const GROQ_HEADER_TPM = 250_000;
export const OPENAI_HEADER_RPM = 5000;
export const OPENAI_HEADER_TPM = 800_000;
