import { z } from 'zod';
import type { SshHost } from './sshHost';
import { t } from '../../shared/l10n';

/** One entry of the `remoteGpu.sshHosts` setting (package.json holds the matching JSON schema for the editor). */
export const settingsHostSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  host: z.string().trim().min(1).max(255).regex(/^[^\s@/]+$/),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().trim().min(1).max(64).regex(/^[^\s@]+$/).optional(),
  identityFile: z.string().trim().min(1).optional(),
  pricePerHour: z.number().min(0).max(10_000).optional(),
});

export type SettingsHostEntry = z.infer<typeof settingsHostSchema>;

/**
 * A skipped entry in words (shown in the tree's tooltip): one sentence per field, since zod's own messages are
 * English and made when the schema is built, before the display language is known.
 */
function problemOf(i: number, field: PropertyKey | undefined): string {
  switch (field) {
    case 'host': return t('remoteGpu.sshHosts[{0}]: host must be a host name or address, without user@ or spaces.', i);
    case 'user': return t('remoteGpu.sshHosts[{0}]: user must not contain spaces or @.', i);
    case 'port': return t('remoteGpu.sshHosts[{0}]: port must be a whole number from 1 to 65535.', i);
    case undefined: return t('remoteGpu.sshHosts[{0}] is not a host entry.', i);
    default: return t('remoteGpu.sshHosts[{0}]: {1} has a value that cannot be used.', i, String(field));
  }
}

export interface SettingsHostsResult {
  readonly hosts: SshHost[];
  /** One readable line per entry that was skipped, for the log and a one-time warning. */
  readonly problems: string[];
}

/**
 * Turns the raw setting into hosts. A bad entry is skipped with a problem line, never fatal: one typo must not
 * hide the other hosts.
 */
export function hostsFromSettings(raw: unknown, env: { localUser: string; expandHome: (p: string) => string }): SettingsHostsResult {
  const hosts: SshHost[] = [];
  const problems: string[] = [];
  const entries = Array.isArray(raw) ? raw : [];
  if (!Array.isArray(raw) && raw !== undefined && raw !== null) problems.push(t('remoteGpu.sshHosts must be an array.'));
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const parsed = settingsHostSchema.safeParse(entry);
    if (!parsed.success) {
      problems.push(problemOf(i, parsed.error.issues[0]?.path[0]));
      return;
    }
    const e = parsed.data;
    const user = e.user ?? env.localUser;
    const label = e.name ?? (e.port === 22 ? `${user}@${e.host}` : `${user}@${e.host}:${e.port}`);
    const id = `settings:${user}@${e.host}:${e.port}`;
    if (seen.has(id)) {
      problems.push(t('remoteGpu.sshHosts[{0}]: {1} is listed twice; the first entry is used.', i, `${user}@${e.host}:${e.port}`));
      return;
    }
    seen.add(id);
    hosts.push({
      id,
      label,
      source: 'settings',
      hostname: e.host,
      port: e.port,
      user,
      identityFiles: e.identityFile ? [env.expandHome(e.identityFile)] : [],
      identitiesOnly: false,
      ...(e.pricePerHour !== undefined ? { pricePerHourMicros: dollarsToMicros(e.pricePerHour) } : {}),
    });
  });
  return { hosts, problems };
}

/** Money is integers (ARCHITECTURE.md): micro-dollars, rounded once at the edge. */
export function dollarsToMicros(dollars: number): number {
  return Math.round(dollars * 1_000_000);
}
