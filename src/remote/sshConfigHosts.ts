import { readFile, readdir } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import SSHConfig from 'ssh-config';
import type { JumpHost, SshHost } from '../core/hosts/sshHost';

/** OpenSSH stops at 16 levels of Include; a loop must not hang the extension host. */
const MAX_INCLUDE_DEPTH = 16;

export interface SshConfigHostsResult {
  readonly hosts: SshHost[];
  readonly problems: string[];
  /** Every file that was read, so the caller can watch them for changes. */
  readonly files: string[];
}

export interface SshConfigEnv {
  readonly home: string;
  readonly localUser: string;
  /**
   * Included files to leave out: Remote GPU's own managed file (~/.ssh/remote-gpu/config) holds cloud instances,
   * which the tree lists under their provider, not a second time as SSH hosts.
   */
  readonly skipFiles?: readonly string[];
}

export function defaultSshConfigEnv(): SshConfigEnv {
  return { home: homedir(), localUser: safeUserName() };
}

/**
 * Lists the concrete hosts of an OpenSSH client config: every `Host` pattern without wildcards or negation, with the
 * options OpenSSH would apply to it. `Include` is honoured (globs, relative to ~/.ssh, nested). `Match exec` is never
 * evaluated: reading a config must not run commands.
 */
export async function loadSshConfigHosts(configPath: string, env: SshConfigEnv = defaultSshConfigEnv()): Promise<SshConfigHostsResult> {
  const problems: string[] = [];
  const files: string[] = [];
  const text = await inlineIncludes(configPath, env, 0, problems, files, true);
  if (text === undefined) return { hosts: [], problems, files };
  let config: SSHConfig;
  try {
    config = SSHConfig.parse(text);
  } catch (e) {
    problems.push(`${configPath}: could not be parsed (${e instanceof Error ? e.message : String(e)}).`);
    return { hosts: [], problems, files };
  }
  const hosts: SshHost[] = [];
  const seen = new Set<string>();
  for (const alias of concreteAliases(config)) {
    if (seen.has(alias)) continue;
    seen.add(alias);
    try {
      hosts.push(resolveHost(config, alias, env));
    } catch (e) {
      problems.push(`${configPath}: Host ${alias}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { hosts, problems, files };
}

function concreteAliases(config: SSHConfig): string[] {
  const aliases: string[] = [];
  for (const line of config) {
    if (line.type !== SSHConfig.DIRECTIVE || line.param.toLowerCase() !== 'host' || !('config' in line)) continue;
    const values = Array.isArray(line.value) ? line.value.map((v) => v.val) : line.value.split(/\s+/);
    for (const pattern of values) {
      if (pattern !== '' && !/[*?!]/.test(pattern)) aliases.push(pattern);
    }
  }
  return aliases;
}

function resolveHost(config: SSHConfig, alias: string, env: SshConfigEnv): SshHost {
  const computed = config.compute(alias, { ignoreCase: true, matchExec: false });
  const get = (key: string): string | undefined => {
    const v = computed[key];
    return Array.isArray(v) ? v[0] : v;
  };
  const hostname = expandTokens(get('hostname') ?? alias, { alias, hostname: alias, user: '', env });
  const port = parsePort(get('port') ?? '22');
  const user = get('user') ?? env.localUser;
  const rawIdentities = computed['identityfile'];
  const identityList = Array.isArray(rawIdentities) ? rawIdentities : rawIdentities ? [rawIdentities] : [];
  const identityFiles = identityList
    .filter((p) => p.toLowerCase() !== 'none')
    .map((p) => expandPath(expandTokens(p, { alias, hostname, user, env }), env.home));
  const proxyJump = parseProxyJump(get('proxyjump'), user);
  return {
    id: `sshConfig:${alias}`,
    label: alias,
    source: 'sshConfig',
    hostname,
    port,
    user,
    identityFiles,
    identitiesOnly: (get('identitiesonly') ?? 'no').toLowerCase() === 'yes',
    sshConfigAlias: alias,
    ...(proxyJump ? { proxyJump } : {}),
  };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Port "${value}" is not a valid port.`);
  return port;
}

/** `[user@]host[:port]`, first hop only: we support one jump host and say so if there are more. */
function parseProxyJump(value: string | undefined, defaultUser: string): JumpHost | undefined {
  if (!value || value.toLowerCase() === 'none') return undefined;
  if (value.includes(',')) throw new Error('ProxyJump with more than one hop is not supported yet; use one jump host.');
  const match = /^(?:ssh:\/\/)?(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(value.trim());
  if (!match) throw new Error(`ProxyJump "${value}" is not [user@]host[:port].`);
  const hostname = (match[2] ?? '').replace(/^\[|\]$/g, '');
  return { hostname, port: match[3] ? parsePort(match[3]) : 22, user: match[1] ?? defaultUser };
}

/** The ssh_config tokens that make sense before connecting. Unknown tokens are left as they are. */
function expandTokens(value: string, t: { alias: string; hostname: string; user: string; env: SshConfigEnv }): string {
  return value.replace(/%([%dhnru])/g, (_m, token: string) => {
    switch (token) {
      case '%': return '%';
      case 'd': return t.env.home;
      case 'h': return t.hostname;
      case 'n': return t.alias;
      case 'r': return t.user;
      case 'u': return t.env.localUser;
      default: return `%${token}`;
    }
  });
}

export function expandPath(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return join(home, p.slice(2));
  return p;
}

/**
 * Replaces each `Include` line with the text of the files it names, recursively. Inlining keeps OpenSSH's
 * first-value-wins order, which is what compute() relies on.
 */
async function inlineIncludes(
  path: string,
  env: SshConfigEnv,
  depth: number,
  problems: string[],
  files: string[],
  isRoot: boolean,
): Promise<string | undefined> {
  if (depth > MAX_INCLUDE_DEPTH) {
    problems.push(`${path}: Include nested more than ${MAX_INCLUDE_DEPTH} levels; stopped.`);
    return '';
  }
  if (!isRoot && env.skipFiles?.includes(path)) return '';
  let text: string;
  try {
    text = await readFile(path, 'utf8');
    files.push(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A missing ~/.ssh/config is normal; a missing included file is worth a line in the log.
    if (!(isRoot && code === 'ENOENT')) problems.push(`${path}: cannot be read (${code ?? 'error'}).`);
    return isRoot ? undefined : '';
  }
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*include(?:\s+|\s*=\s*)(.+)$/i.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    for (const pattern of splitArgs(m[1] ?? '')) {
      for (const file of await expandInclude(pattern, env)) {
        out.push((await inlineIncludes(file, env, depth + 1, problems, files, false)) ?? '');
      }
    }
  }
  return out.join('\n');
}

function splitArgs(value: string): string[] {
  return (value.match(/"[^"]*"|\S+/g) ?? []).map((a) => a.replace(/^"|"$/g, ''));
}

async function expandInclude(pattern: string, env: SshConfigEnv): Promise<string[]> {
  const expanded = expandPath(pattern, env.home);
  const full = isAbsolute(expanded) ? expanded : join(env.home, '.ssh', expanded);
  if (!/[*?[]/.test(full)) return [full];
  // Globs in the last segment only, which covers `Include config.d/*` and `conf.d/*.conf`.
  const dir = dirname(full);
  const re = globToRegExp(basename(full));
  try {
    return (await readdir(dir)).filter((n) => re.test(n)).sort().map((n) => join(dir, n));
  } catch {
    return [];
  }
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? 'root';
  }
}
