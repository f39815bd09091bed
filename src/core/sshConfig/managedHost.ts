import { RemoteGpuError } from '../errors';
import type { JumpHost, SshHost } from '../hosts/sshHost';
import { t } from '../../shared/l10n';

/** What Connect writes for one host: everything already resolved, nothing taken from a user's Host block. */
export interface ManagedHostSpec {
  /** Stable key of the host across reloads ("lambda:0920f1…", "settings:me@box:22"); prune() matches on it. */
  readonly id: string;
  /** A readable name the alias is derived from (instance name); sanitised, never written raw. */
  readonly aliasHint: string;
  readonly hostname: string;
  readonly port: number;
  readonly user: string;
  /** Absolute paths. */
  readonly identityFiles: readonly string[];
  readonly identitiesOnly: boolean;
  readonly proxyJump?: JumpHost;
}

/** Absolute paths of the files Remote GPU owns (forward slashes on every platform). */
export interface ManagedPaths {
  /** The file ~/.ssh/config includes. */
  readonly config: string;
  /**
   * Host keys of managed hosts, stored under their alias (HostKeyAlias). A cloud IP is reused by the next tenant's
   * instance; keyed by alias, a new instance is a new name that ssh asks about instead of a "host key changed"
   * wall in the user's own known_hosts, and checking stays on (StrictHostKeyChecking is never written).
   */
  readonly knownHosts: string;
}

const ALIAS_MAX = 48;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;

/**
 * A Host alias from any text: lower case, runs of anything outside [a-z0-9._-] become one "-". The result can be
 * neither a pattern (* ? !), nor split into two aliases, nor end the line; Remote-SSH accepts it as an authority.
 */
export function sanitizeAlias(hint: string): string {
  const cleaned = hint
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, ALIAS_MAX)
    .replace(/[-.]+$/, '');
  return cleaned === '' ? 'host' : cleaned;
}

/** The first of alias, alias-2, alias-3, … that `taken` (lower-cased names) does not hold. */
export function freeAlias(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

/** The Host block's lines for a spec under `alias`; every value validated so none can add a config line. */
export function renderHostBlock(spec: ManagedHostSpec, alias: string, paths: ManagedPaths): string[] {
  if (sanitizeAlias(alias) !== alias) throw invalid(t('Cannot write an SSH config entry: the alias "{0}" is not a plain name.', alias));
  const lines = [
    `# remote-gpu ${JSON.stringify({ id: spec.id })}`,
    `Host ${alias}`,
    `  HostName ${checkHostname(spec.hostname)}`,
    `  Port ${checkPort(spec.port)}`,
    `  User ${checkUser(spec.user)}`,
  ];
  for (const file of spec.identityFiles) lines.push(`  IdentityFile ${quotePath(file, 'IdentityFile')}`);
  if (spec.identitiesOnly) lines.push('  IdentitiesOnly yes');
  if (spec.proxyJump) {
    const j = spec.proxyJump;
    lines.push(`  ProxyJump ${checkUser(j.user)}@${bracketed(checkHostname(j.hostname))}:${checkPort(j.port)}`);
  }
  lines.push(`  HostKeyAlias ${alias}`, `  UserKnownHostsFile ${quotePath(paths.knownHosts, 'UserKnownHostsFile')}`);
  return lines;
}

function checkHostname(value: string): string {
  if (HOSTNAME.test(value) || (value.includes(':') && IPV6.test(value))) return value;
  throw invalid(t('Cannot write an SSH config entry: the host name "{0}" is not a host name or IP address.', printable(value)));
}

function checkUser(value: string): string {
  if (USER.test(value)) return value;
  throw invalid(t('Cannot write an SSH config entry: the user name "{0}" has characters ssh_config cannot hold safely.', printable(value)));
}

function checkPort(value: number): number {
  if (Number.isInteger(value) && value >= 1 && value <= 65535) return value;
  throw invalid(t('Cannot write an SSH config entry: the port {0} is not a port.', value));
}

function bracketed(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * A path in double quotes, as ssh_config's argument splitter reads them. Quotes, backslashes (escape characters
 * inside quotes) and line breaks are refused rather than escaped; `%` is doubled because ssh expands %-tokens here.
 */
export function quotePath(path: string, what: string): string {
  if (!path.startsWith('/') && !/^[A-Za-z]:\//.test(path)) throw invalid(t('Cannot write an SSH config entry: {0} "{1}" is not an absolute path.', what, printable(path)));
  if (/["\\\r\n\0]/.test(path)) throw invalid(t('Cannot write an SSH config entry: {0} "{1}" contains a quote, backslash or line break.', what, printable(path)));
  return `"${path.replace(/%/g, '%%')}"`;
}

/** `message` is one whole translated sentence (the value's name and the problem in it, never spliced in English). */
function invalid(message: string): RemoteGpuError {
  return new RemoteGpuError('config', message);
}

/** For messages: control characters shown as escapes so a hostile value cannot forge log lines. */
function printable(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/**
 * The spec Connect writes for a host. A cloud host's alias starts with its provider ("lambda-train-box") so the
 * user can tell it from their own hosts; identity files that do not exist are left out (ssh would only warn).
 */
export function managedSpecOf(host: SshHost, fileExists: (path: string) => boolean): ManagedHostSpec {
  const provider = host.source === 'cloud' ? host.id.split(':')[0] : undefined;
  return {
    id: host.id,
    aliasHint: provider ? `${provider}-${host.label}` : host.label,
    hostname: host.hostname,
    port: host.port,
    user: host.user,
    identityFiles: host.identityFiles.filter(fileExists),
    identitiesOnly: host.identitiesOnly,
    ...(host.proxyJump ? { proxyJump: host.proxyJump } : {}),
  };
}
