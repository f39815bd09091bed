import { shJoin } from '../remote/shellQuote';
import type { SshHost } from './sshHost';

/**
 * The `ssh` invocation that reaches the same host as the extension. A host from ~/.ssh/config is addressed by its
 * alias so that every option there (ProxyJump, ControlMaster, ...) applies exactly as it does for us.
 */
export function sshArgv(host: SshHost): string[] {
  if (host.sshConfigAlias) return ['ssh', host.sshConfigAlias];
  const argv = ['ssh'];
  if (host.port !== 22) argv.push('-p', String(host.port));
  for (const key of host.identityFiles) argv.push('-i', key);
  if (host.identitiesOnly) argv.push('-o', 'IdentitiesOnly=yes');
  if (host.proxyJump) {
    const j = host.proxyJump;
    argv.push('-J', `${j.user}@${j.hostname}${j.port === 22 ? '' : `:${j.port}`}`);
  }
  argv.push(`${host.user}@${host.hostname}`);
  return argv;
}

/** A command line for the clipboard, quoted by the one helper so paths with spaces or quotes survive a paste. */
export function sshCommandLine(host: SshHost): string {
  return shJoin(sshArgv(host));
}

/**
 * The remote authority Remote-SSH opens. A config alias is passed as is; anything else is the hex-encoded JSON form
 * Remote-SSH accepts for hosts that are not in ~/.ssh/config (it keeps the user and port without a config entry).
 */
export function remoteSshAuthority(host: SshHost): string {
  if (host.sshConfigAlias && !/[^A-Za-z0-9_.-]/.test(host.sshConfigAlias)) return `ssh-remote+${host.sshConfigAlias}`;
  const json = JSON.stringify({ hostName: host.hostname, user: host.user, port: host.port });
  return `ssh-remote+${toHex(json)}`;
}

/** UTF-8 bytes as hex; written out because the domain has no TextEncoder/Buffer (no DOM or Node types in core). */
function toHex(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const bytes =
      cp < 0x80 ? [cp]
      : cp < 0x800 ? [0xc0 | (cp >> 6), 0x80 | (cp & 63)]
      : cp < 0x10000 ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)]
      : [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
    for (const b of bytes) out += b.toString(16).padStart(2, '0');
  }
  return out;
}
