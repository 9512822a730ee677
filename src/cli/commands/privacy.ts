// `casebench privacy`: the workspace's privacy setting — what is masked before model calls
// (secrets always by default, personal data on request) and the information gate — and
// `casebench privacy check`: what a ticket would have masked and whether the gate would hold it,
// without calling any model.
import type { Command } from 'commander';
import { AppError } from '../../shared/errors.ts';
import { openStore } from '../../core/store/store.ts';
import { loadPrivacy, savePrivacy } from '../../core/settings/privacy.ts';
import { maskTicket, maskSummary } from '../../core/secrets/mask.ts';
import { checkInformation, INFO_SIGNALS, type InfoSignal } from '../../core/graph/infoGate.ts';
import { checkTicket } from '../../core/graph/ticketGate.ts';
import { DEFAULT_PRIVACY, type PrivacySettings } from '../../core/runtime.ts';
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
      const store = openStore(o.db, { readOnly: !changing && existsSync(o.db) });
      try {
        const p = loadPrivacy(store);
        if (o.secrets !== undefined) p.redaction.secrets = onOff('--secrets', o.secrets);
        if (o.personal !== undefined) p.redaction.personal = onOff('--personal', o.personal);
        if (o.infoGate !== undefined) p.infoGate.enabled = onOff('--info-gate', o.infoGate);
        if (o.anchors !== undefined) {
          const list = o.anchors.split(',').map((s) => s.trim()).filter(Boolean);
          const bad = list.find((s) => !(INFO_SIGNALS as readonly string[]).includes(s));
          if (bad !== undefined || list.length === 0) throw new AppError('BAD_INPUT', `--anchors takes ${INFO_SIGNALS.join(', ')} (comma-separated), got "${o.anchors}"`);
          p.infoGate.anchors = list as InfoSignal[];
        }
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
      const text = o.text ?? (o.file && o.file !== '-' ? await readFileText(o.file, "a ticket's text", 1024 * 1024) : await readStdinText('privacy check (give --text or --file, or the ticket on stdin)', 1024 * 1024, "a ticket's text"));
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
        if (r !== 'secrets' && r !== 'all' && r !== 'none') throw new AppError('BAD_INPUT', `--redact must be secrets, all or none, got "${o.redact}"`);
        p = { ...p, redaction: { secrets: r !== 'none', personal: r === 'all' } };
      }
      const m = maskTicket(text, p.redaction, cliScrubber);
      const length = checkTicket(text);
      const info = length.ok ? checkInformation(text, p.infoGate) : null;
      const decision = !length.ok ? { held: true, code: length.code, message: length.message } : info!.held ? { held: true, code: 'NEEDS_INFO', message: info!.message } : { held: false, code: null, message: null };
      // What was masked is shown by kind and placeholder only: the values stay in the ticket.
      const masked = [...new Map(m.items.map((i) => [i.placeholder, { placeholder: i.placeholder, kind: i.kind, category: i.category }])).values()];
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ sent: m.text, masked, summary: maskSummary(m.items), gate: { ...decision, found: info?.found ?? {} } })}\n`);
        return;
      }
      const lines = [
        masked.length ? `masked before model calls: ${masked.map((x) => `${x.placeholder} (${x.kind})`).join(', ')}` : 'masked before model calls: nothing',
        decision.held ? `gate: ${decision.code}: ${decision.message}` : `gate: passes (found ${Object.entries(info?.found ?? {}).map(([k, v]) => `${k} "${v}"`).join(', ')})`,
        '--- sent to the models ---',
        m.text,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
