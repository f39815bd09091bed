// @ts-check
// A throwaway HOME for the extension host under test: its own ~/.ssh/config (with an Include and wildcard blocks that
// must not become hosts) and ~/.ssh/known_hosts. The real ~/.ssh is never read or written.
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * @typedef {object} HostEntry
 * @property {string} alias          the `Host` name
 * @property {string} hostName
 * @property {number} port
 * @property {string} user
 * @property {string} identityFile   absolute path of the private key
 * @property {'main' | 'include'} [file]  which config file it goes into (default main)
 */

/**
 * @typedef {object} KnownHost
 * @property {string} host
 * @property {number} port
 * @property {string} publicKey  "ssh-ed25519 AAAA... [comment]" (the comment is dropped)
 */

/**
 * `[host]:port` as OpenSSH writes it in known_hosts (bare host for port 22).
 * @param {string} host @param {number} port
 */
export function knownHostsPattern(host, port) {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** A fresh, unrelated ed25519 public key in OpenSSH form, used to plant a "changed" host key. */
export function randomEd25519PublicKey() {
  const { publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  const raw = Buffer.from(/** @type {string} */ (jwk.x), 'base64url');
  /** @param {Buffer} b */
  const sshString = (b) => Buffer.concat([Buffer.from([0, 0, (b.length >> 8) & 0xff, b.length & 0xff]), b]);
  const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw)]);
  return `ssh-ed25519 ${blob.toString('base64')}`;
}

/** @param {HostEntry} h */
function hostBlock(h) {
  return [`Host ${h.alias}`, `  HostName ${h.hostName}`, `  Port ${h.port}`, `  User ${h.user}`, `  IdentityFile ${h.identityFile}`, '  IdentitiesOnly yes', ''].join('\n');
}

/**
 * Builds the throwaway HOME.
 * @param {{ hosts: HostEntry[], knownHosts: KnownHost[], root?: string }} opts
 * @returns {{ home: string, sshDir: string, configPath: string, includePath: string, knownHostsPath: string,
 *   aliases: string[], wildcardPatterns: string[], cleanup: () => void }}
 */
export function makeHome(opts) {
  const home = opts.root ?? mkdtempSync(path.join(os.tmpdir(), 'rgpu-home-'));
  const realHome = os.userInfo().homedir;
  if (path.resolve(home) === path.resolve(realHome)) throw new Error('makeHome refuses to write into the real home directory');
  const sshDir = path.join(home, '.ssh');
  const includeDir = path.join(sshDir, 'config.d');
  mkdirSync(includeDir, { recursive: true, mode: 0o700 });
  const configPath = path.join(sshDir, 'config');
  const includePath = path.join(includeDir, 'extra.conf');
  const knownHostsPath = path.join(sshDir, 'known_hosts');
  const wildcardPatterns = ['*', 'gpu-*.example.com', '!rig-negated'];

  const main = opts.hosts.filter((h) => (h.file ?? 'main') === 'main');
  const included = opts.hosts.filter((h) => h.file === 'include');
  const config = [
    '# Throwaway ssh config written by test/rig/home.mjs',
    // ssh reads the first value it meets, so Include comes first; relative Include paths are resolved against ~/.ssh.
    'Include config.d/*.conf',
    '',
    ...main.map(hostBlock),
    `Host ${wildcardPatterns[1]} ${wildcardPatterns[2]}`,
    '  User nobody',
    '',
    `Host ${wildcardPatterns[0]}`,
    '  ServerAliveInterval 30',
    '  ConnectTimeout 10',
    '',
  ].join('\n');
  writeFileSync(configPath, config, { mode: 0o600 });
  writeFileSync(includePath, ['# Included from ~/.ssh/config', '', ...included.map(hostBlock)].join('\n'), { mode: 0o600 });
  const known = opts.knownHosts.map((k) => {
    const [type, key] = k.publicKey.trim().split(/\s+/);
    return `${knownHostsPattern(k.host, k.port)} ${type} ${key}`;
  });
  writeFileSync(knownHostsPath, known.join('\n') + '\n', { mode: 0o600 });
  return {
    home,
    sshDir,
    configPath,
    includePath,
    knownHostsPath,
    aliases: opts.hosts.map((h) => h.alias),
    wildcardPatterns,
    cleanup() {
      if (!opts.root) rmSync(home, { recursive: true, force: true });
    },
  };
}
