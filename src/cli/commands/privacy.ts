// `casebench privacy`: the workspace's privacy setting — what is masked before model calls
// (secrets always by default, personal data on request) and the information gate — and
// `casebench privacy check`: what a ticket would have masked and whether the gate would hold it,
// without calling any model; `casebench privacy misses`: the values reviewers flagged as missed,
// and whether today's rules mask them.
import type { Command } from 'commander';
import { AppError } from '#shared/errors.ts';
import { openStore } from '#core/store/store.ts';
import { loadMissFlags, loadPrivacy, savePrivacy, type MissFlag } from '#core/settings/privacy.ts';
import { maskTicket, maskSummary } from '#core/secrets/mask.ts';
import { RULES_VERSION } from '#core/secrets/rules.ts';
import { checkInformation, INFO_SIGNALS, type InfoSignal } from '#core/graph/infoGate.ts';
import { checkTicket } from '#core/graph/ticketGate.ts';
import { DEFAULT_PRIVACY, type PrivacySettings } from '#core/runtime.ts';
import { existsSync } from 'node:fs';
import { readFileText, readStdinText } from '../input.ts';
import { cliScrubber } from '../secrets.ts';

const onOff = (flag: string, v: string): boolean => {
  const s = v.trim().toLowerCase();
  if (s === 'on' || s === 'true' || s === 'yes') return true;
  if (s === 'off' || s === 'false' || s === 'no') return false;
  throw new AppError('BAD_INPUT', `${flag} must be on or off, got "${v}"`);
};

function describe(p: PrivacySettings): string {
  return [
    `secrets masked before model calls: ${p.redaction.secrets ? 'on' : 'off'}`,
    `personal data masked before model calls: ${p.redaction.personal ? 'on' : 'off'}`,
    `information gate: ${p.infoGate.enabled ? `on (a ticket needs one of: ${p.infoGate.anchors.join(', ')})` : 'off'}`,
  ].join('\n');
}

export function registerPrivacy(program: Command): void {
  const cmd = program
    .command('privacy')
    .description("show or change what is masked before model calls and the information gate (this workspace's setting)")
    .option('--db <path>', 'workspace database', './casebench.db')
    .option('--secrets <on|off>', 'mask keys, passwords, tokens and private keys before model calls')
    .option('--personal <on|off>', 'mask e-mail addresses, phone numbers, names and IP addresses before model calls')
    .option('--info-gate <on|off>', 'hold tickets that name no cloud, service or resource id')
    .option('--anchors <list>', `signals of which a ticket needs one to pass the gate (${INFO_SIGNALS.join(', ')})`)
    .option('--json', 'print the setting as JSON')
    .action((o: { db: string; secrets?: string; personal?: string; infoGate?: string; anchors?: string; json?: boolean }) => {
      const changing = o.secrets !== undefined || o.personal !== undefined || o.infoGate !== undefined || o.anchors !== undefined;
      // Every flag is checked before the workspace is opened: a typo creates no database.
      const secrets = o.secrets === undefined ? undefined : onOff('--secrets', o.secrets);
      const personal = o.personal === undefined ? undefined : onOff('--personal', o.personal);
      const infoGate = o.infoGate === undefined ? undefined : onOff('--info-gate', o.infoGate);
      let anchors: InfoSignal[] | undefined;
      if (o.anchors !== undefined) {
        const list = o.anchors
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const bad = list.find((s) => !(INFO_SIGNALS as readonly string[]).includes(s));
        if (bad !== undefined || list.length === 0)
          throw new AppError('BAD_INPUT', `--anchors takes ${INFO_SIGNALS.join(', ')} (comma-separated), got "${o.anchors}"`);
        anchors = list as InfoSignal[];
      }
      // Only showing the setting of a workspace that does not exist yet: the defaults, and no file made.
      if (!changing && !existsSync(o.db)) {
        process.stdout.write(o.json ? `${JSON.stringify(DEFAULT_PRIVACY)}\n` : `${describe(DEFAULT_PRIVACY)}\n`);
        return;
      }
      const store = openStore(o.db, { readOnly: !changing });
      try {
        const p = loadPrivacy(store);
        if (secrets !== undefined) p.redaction.secrets = secrets;
        if (personal !== undefined) p.redaction.personal = personal;
        if (infoGate !== undefined) p.infoGate.enabled = infoGate;
        if (anchors !== undefined) p.infoGate.anchors = anchors;
        if (changing) savePrivacy(store, p);
        process.stdout.write(o.json ? `${JSON.stringify(p)}\n` : `${describe(p)}\n`);
      } finally {
        store.close();
      }
    });

  cmd
    .command('check')
    .description('show what a ticket would have masked and whether the information gate would hold it (no model is called)')
    .option('--text <text>', 'the ticket text')
    .option('--file <path>', 'read the ticket from a file (- or neither: standard input)')
    .option('--db <path>', 'workspace database whose setting applies', './casebench.db')
    .option('--redact <what>', 'secrets, all or none (default: the workspace setting)')
    .option('--json', 'print JSON')
    .action(async (_o: unknown, command: Command) => {
      // `--db` and `--json` are the parent's options too: read them wherever commander put them.
      const o = command.optsWithGlobals<{ text?: string; file?: string; db: string; redact?: string; json?: boolean }>();
      const text =
        o.text ??
        (o.file && o.file !== '-'
          ? await readFileText(o.file, "a ticket's text", 1024 * 1024)
          : await readStdinText('privacy check (give --text or --file, or the ticket on stdin)', 1024 * 1024, "a ticket's text"));
      let p: PrivacySettings = DEFAULT_PRIVACY;
      if (existsSync(o.db)) {
        const s = openStore(o.db, { readOnly: true });
        try {
          p = loadPrivacy(s);
        } finally {
          s.close();
        }
      }
      if (o.redact !== undefined) {
        const r = o.redact.trim().toLowerCase();
        if (r !== 'secrets' && r !== 'all' && r !== 'none')
          throw new AppError('BAD_INPUT', `--redact must be secrets, all or none, got "${o.redact}"`);
        p = { ...p, redaction: { secrets: r !== 'none', personal: r === 'all' } };
      }
      const m = maskTicket(text, p.redaction, cliScrubber);
      const length = checkTicket(text);
      const info = length.ok ? checkInformation(text, p.infoGate) : null;
      const decision = !length.ok
        ? { held: true, code: length.code, message: length.message }
        : info!.held
          ? { held: true, code: 'NEEDS_INFO', message: info!.message }
          : { held: false, code: null, message: null };
      // What was masked is shown by kind and placeholder only: the values stay in the ticket.
      const masked = [
        ...new Map(m.items.map((i) => [i.placeholder, { placeholder: i.placeholder, kind: i.kind, category: i.category }])).values(),
      ];
      if (o.json) {
        process.stdout.write(
          `${JSON.stringify({ sent: m.text, masked, summary: maskSummary(m.items), gate: { ...decision, found: info?.found ?? {} } })}\n`,
        );
        return;
      }
      const lines = [
        masked.length
          ? `masked before model calls: ${masked.map((x) => `${x.placeholder} (${x.kind})`).join(', ')}`
          : 'masked before model calls: nothing',
        decision.held
          ? `gate: ${decision.code}: ${decision.message}`
          : `gate: passes (found ${Object.entries(info?.found ?? {})
              .map(([k, v]) => `${k} "${v}"`)
              .join(', ')})`,
        '--- sent to the models ---',
        m.text,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  cmd
    .command('misses')
    .description(
      "list the values reviewers flagged as missed by the masking rules, and whether today's rules mask them (the values are never printed)",
    )
    .option('--db <path>', 'workspace database', './casebench.db')
    .option('--json', 'print JSON lines')
    .action((_o: unknown, command: Command) => {
      const o = command.optsWithGlobals<{ db: string; json?: boolean }>();
      if (!existsSync(o.db)) throw new AppError('BAD_INPUT', `no workspace at ${o.db}`);
      const store = openStore(o.db, { readOnly: true });
      try {
        const flags = loadMissFlags(store);
        const rows = flags.map((f) =>
          missRow(
            f,
            store.getTicket(f.ticketId)?.text ?? null,
            flags.filter((o) => o.ticketId === f.ticketId),
          ),
        );
        if (o.json) {
          for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
          return;
        }
        if (rows.length === 0) {
          process.stdout.write('no flagged misses (a reviewer flags one with "Flag a miss" on the review screen)\n');
          return;
        }
        for (const r of rows) {
          const who = r.reviewer ? ` by ${r.reviewer}` : '';
          process.stdout.write(
            `${r.ticket_id}  ${r.kind}${who}  ${r.flagged_at.slice(0, 16).replace('T', ' ')}  ${r.status}\n    ${r.context ?? '(the ticket changed or is gone)'}\n`,
          );
        }
        const still = rows.filter((r) => r.status === 'still missed').length;
        process.stdout.write(`${rows.length} flagged, ${still} still missed by today's rules (rules ${RULES_VERSION})\n`);
      } finally {
        store.close();
      }
    });
}

interface MissRow {
  ticket_id: string;
  kind: string;
  reviewer: string | null;
  flagged_at: string;
  /** Whether the rules (secrets and personal data both on) now mask the flagged span. */
  status: 'now masked' | 'still missed' | 'ticket changed';
  /** The text around the span, the span itself shown as [kind, N characters]. */
  context: string | null;
}

function missRow(f: MissFlag, text: string | null, others: readonly MissFlag[]): MissRow {
  const base = { ticket_id: f.ticketId, kind: f.kind, reviewer: f.reviewer ?? null, flagged_at: new Date(f.at).toISOString() };
  if (text === null || f.end > text.length || f.start < 0 || f.end <= f.start) return { ...base, status: 'ticket changed', context: null };
  const m = maskTicket(text, { secrets: true, personal: true }, cliScrubber);
  const covered = m.items.some((i) => i.start < f.end && i.end > f.start);
  // The context never shows a value: this span, every other flagged span of the ticket and
  // everything the rules find around it are shown by kind.
  const spans = [
    { start: f.start, end: f.end, label: `[${f.kind}, ${f.end - f.start} characters]` },
    ...others
      .filter((o) => o !== f && o.end <= text.length && o.start >= 0 && o.end > o.start)
      .map((o) => ({ start: o.start, end: o.end, label: `[${o.kind}]` })),
    ...m.items.filter((i) => i.start >= 0).map((i) => ({ start: i.start, end: i.end, label: i.placeholder })),
  ];
  const from = Math.max(0, f.start - 40);
  const to = Math.min(text.length, f.end + 40);
  let out = '';
  let at = from;
  for (const sp of spans
    .filter((x) => x.end > from && x.start < to)
    .sort((a, b) => a.start - b.start || (a === spans[0] ? -1 : b === spans[0] ? 1 : 0))) {
    if (sp.start < at) {
      // Overlaps what is already shown by kind: extend over it.
      at = Math.max(at, sp.end);
      continue;
    }
    out += text.slice(at, sp.start) + sp.label;
    at = sp.end;
  }
  if (at < to) out += text.slice(at, to);
  return { ...base, status: covered ? 'now masked' : 'still missed', context: `…${out.replace(/\s+/g, ' ')}…` };
}
