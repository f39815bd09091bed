import { z } from 'zod';
import type { SshHost } from './sshHost';
import { t } from '../../shared/l10n';

/** One entry of the `remoteGpu.sshHosts` setting (package.json holds the matching JSON schema for the editor). */
export const settingsHostSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  host: z.string().trim().min(1).max(255).regex(/^[^\s@/]+$/, 'host must be a host name or address, without user@ or spaces'),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().trim().min(1).max(64).regex(/^[^\s@]+$/, 'user must not contain spaces or @').optional(),
  identityFile: z.string().trim().min(1).optional(),
  pricePerHour: z.number().min(0).max(10_000).optional(),
});

export type SettingsHostEntry = z.infer<typeof settingsHostSchema>;

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
      const issue = parsed.error.issues[0];
      problems.push(`remoteGpu.sshHosts[${i}]: ${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'invalid'}`);
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
