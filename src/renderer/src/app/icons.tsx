// A few inline icons (no icon font, no network).
const base = { width: 14, height: 14, viewBox: '0 0 16 16', 'aria-hidden': true, focusable: false } as const;

export function PlayIcon() {
  return (
    <svg {...base}>
      <path d="M4 2.5v11l9-5.5z" fill="currentColor" />
    </svg>
  );
}
export function StopIcon() {
  return (
    <svg {...base}>
      <rect x="3.5" y="3.5" width="9" height="9" rx="1.5" fill="currentColor" />
    </svg>
  );
}
export function CheckIcon() {
  return (
    <svg {...base}>
      <path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
export function AlertIcon() {
  return (
    <svg {...base}>
      <path d="M8 1.8l6.6 11.7H1.4z" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
      <path d="M8 6.2v3.6M8 11.4v.1" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}
export function SkipIcon() {
  return (
    <svg {...base}>
      <path d="M3 3l5 5-5 5M8.5 3l5 5-5 5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
export function ClockIcon() {
  return (
    <svg {...base}>
      <circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <path d="M8 4.5V8l2.4 1.6" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
    </svg>
  );
}
export function LogoMark() {
  return (
    <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" focusable="false">
      <rect x="1" y="1" width="16" height="16" rx="4" fill="var(--accent)" />
      <path d="M5 6h8M5 9h5M5 12h6.5" stroke="var(--accent-fg)" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}
