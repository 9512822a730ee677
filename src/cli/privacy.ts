// Privacy flags on triage, run and experiment: what is masked before model calls and whether the
// information gate holds tickets. Without a flag, the workspace's `privacy` setting applies
// (`casebench privacy`, or Settings), else the defaults (secrets masked, personal data not, gate on).
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '#shared/errors.ts';
import type { PrivacySettings, Runtime } from '#core/runtime.ts';
import { loadPrivacy, stampPrivacy } from '#core/settings/privacy.ts';
import { openStore, type Store } from '#core/store/store.ts';

export interface PrivacyFlags {
  redact?: string;
  infoGate?: boolean;
}

export function privacyOptions(cmd: Command): Command {
  return cmd
    .option(
      '--redact <what>',
      'mask before model calls: secrets, all (secrets and personal data), none (default: the workspace setting, secrets)',
    )
    .option('--info-gate', 'hold tickets that name no cloud, service or resource id (default: the workspace setting, on)')
    .option('--no-info-gate', 'send every ticket that passes the length gate');
}

/** The workspace's setting (read-only when only read), with the flags over it, given to the runtime. */
export function applyPrivacy(rt: Runtime, where: Store | string | null, o: PrivacyFlags): PrivacySettings {
  let p: PrivacySettings = rt.privacy();
  if (typeof where === 'string') {
    if (existsSync(where)) {
      const s = openStore(where, { readOnly: true });
      try {
        p = loadPrivacy(s);
      } finally {
        s.close();
      }
    }
  } else if (where) p = loadPrivacy(where);
  if (o.redact !== undefined) {
    const r = o.redact.trim().toLowerCase();
    if (r !== 'secrets' && r !== 'all' && r !== 'none')
      throw new AppError('BAD_INPUT', `--redact must be secrets, all or none, got "${o.redact}"`);
    p = { ...p, redaction: { secrets: r !== 'none', personal: r === 'all' } };
  }
  if (o.infoGate !== undefined) p = { ...p, infoGate: { ...p.infoGate, enabled: o.infoGate } };
  rt.setPrivacy(p);
  if (where && typeof where !== 'string') stampPrivacy(rt, where);
  return p;
}
