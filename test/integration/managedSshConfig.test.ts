import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ManagedHostSpec } from '../../src/core/sshConfig/managedHost';
import { ManagedSshConfig } from '../../src/remote/managedSshConfig';
import { loadSshConfigHosts } from '../../src/remote/sshConfigHosts';
import { startSshd } from '../rig/sshd.mjs';
import type { SshdRig } from '../rig/sshd.mjs';
import { recordingLogger, scratchDir } from './sshTestKit';

const run = promisify(execFile);

/** What OpenSSH itself makes of a config: `ssh -G` prints the options it would use for a host, lower-cased. */
async function sshG(configFile: string, alias: string): Promise<Map<string, string[]>> {
  const { stdout } = await run('ssh', ['-G', '-F', configFile, alias]);
  const out = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const [key, ...rest] = line.split(' ');
    if (key) out.set(key, [...(out.get(key) ?? []), rest.join(' ')]);
  }
  return out;
}

const mode = (p: string): number => statSync(p).mode & 0o777;

describe('ManagedSshConfig: the files Connect writes, read back by OpenSSH', () => {
  let home: string;
  let cleanup: () => Promise<void>;
  let managed: ManagedSshConfig;
  const spec = (over: Partial<ManagedHostSpec> = {}): ManagedHostSpec => ({
    id: 'lambda:i-1',
    aliasHint: 'lambda-train box',
    hostname: '203.0.113.7',
    port: 2222,
    user: 'ubuntu',
    identityFiles: [join(home, '.ssh', 'id ed25519')],
    identitiesOnly: false,
    ...over,
  });

  beforeEach(async () => {
    ({ dir: home, cleanup } = await scratchDir());
    managed = new ManagedSshConfig({ home, localUser: 'me', logger: recordingLogger() });
  });
  afterEach(async () => cleanup());

  it('works with no ~/.ssh at all: creates the include, the managed block, 0600 files, and no backup', async () => {
    const { alias, wrote } = await managed.upsert(spec());
    expect(alias).toBe('lambda-train-box');
    expect(wrote).toHaveLength(2);
    expect(mode(managed.userConfig)).toBe(0o600);
    expect(mode(managed.configFile)).toBe(0o600);
    expect(existsSync(managed.backup)).toBe(false);
    const g = await sshG(managed.userConfig, alias);
    expect(g.get('hostname')).toEqual(['203.0.113.7']);
    expect(g.get('port')).toEqual(['2222']);
    expect(g.get('user')).toEqual(['ubuntu']);
    expect(g.get('identityfile')).toEqual([join(home, '.ssh', 'id ed25519')]);
    expect(g.get('hostkeyalias')).toEqual([alias]);
    expect(g.get('userknownhostsfile')).toEqual([join(home, '.ssh', 'remote-gpu', 'known_hosts')]);
    expect(g.get('stricthostkeychecking')).not.toEqual(['false']);
  });

  it('includes before the user Host blocks, backs the user file up once, keeps CRLF and mode, and a rerun writes nothing', async () => {
    await mkdir(join(home, '.ssh'), { recursive: true });
    const original = 'Host mine\r\n  HostName 10.1.1.1\r\n  User alice\r\n\r\nHost *\r\n  User bob\r\n';
    await writeFile(managed.userConfig, original, { mode: 0o644 });
    const { alias } = await managed.upsert(spec());
    const text = await readFile(managed.userConfig, 'utf8');
    expect(text.endsWith(original)).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(mode(managed.userConfig)).toBe(0o644);
    expect(await readFile(managed.backup, 'utf8')).toBe(original);
    expect(mode(managed.backup)).toBe(0o600);
    // The managed block wins for its alias; the user's own hosts and `Host *` still resolve as before.
    expect((await sshG(managed.userConfig, alias)).get('user')).toEqual(['ubuntu']);
    expect((await sshG(managed.userConfig, 'mine')).get('hostname')).toEqual(['10.1.1.1']);
    expect((await sshG(managed.userConfig, 'other')).get('user')).toEqual(['bob']);

    const before = [await readFile(managed.userConfig, 'utf8'), await readFile(managed.configFile, 'utf8')];
    expect((await managed.upsert(spec())).wrote).toEqual([]);
    expect([await readFile(managed.userConfig, 'utf8'), await readFile(managed.configFile, 'utf8')]).toEqual(before);

    // A second change to the user's file (the include moved into a block by hand) must not replace the first backup.
    await writeFile(managed.userConfig, `Host mine\n  User alice\n${text.split(/\r?\n/).slice(0, 2).join('\n')}\n`);
    await managed.upsert(spec());
    expect(await readFile(managed.backup, 'utf8')).toBe(original);
    expect((await readdir(join(home, '.ssh'))).filter((n) => n.includes('.tmp'))).toEqual([]);
  });

  it('never shadows a Host the user wrote with the same name, and leaves that block alone', async () => {
    await mkdir(join(home, '.ssh'), { recursive: true });
    const original = 'Host lambda-train-box\n  HostName 10.9.9.9\n';
    await writeFile(managed.userConfig, original);
    const { alias } = await managed.upsert(spec());
    expect(alias).toBe('lambda-train-box-2');
    expect((await sshG(managed.userConfig, 'lambda-train-box')).get('hostname')).toEqual(['10.9.9.9']);
    expect((await sshG(managed.userConfig, alias)).get('hostname')).toEqual(['203.0.113.7']);
    expect(await readFile(managed.userConfig, 'utf8')).toContain(original);
  });

  it('writes through a symlinked ~/.ssh/config to its target', async () => {
    await mkdir(join(home, '.ssh'), { recursive: true });
    await mkdir(join(home, 'dotfiles'));
    await writeFile(join(home, 'dotfiles', 'ssh_config'), 'Host x\n  User y\n');
    await symlink(join(home, 'dotfiles', 'ssh_config'), managed.userConfig);
    await managed.upsert(spec());
    expect(await readFile(join(home, 'dotfiles', 'ssh_config'), 'utf8')).toContain('Include');
    expect((await import('node:fs')).lstatSync(managed.userConfig).isSymbolicLink()).toBe(true);
  });

  it('a hostile instance name cannot add options that OpenSSH would apply', async () => {
    const evil = spec({ aliasHint: 'x\n  ProxyCommand touch /tmp/pwned\nHost *', id: 'lambda:"\nHost *\n  ProxyCommand x' });
    const { alias } = await managed.upsert(evil);
    const g = await sshG(managed.userConfig, alias);
    expect(g.get('proxycommand')).toBeUndefined();
    expect((await sshG(managed.userConfig, 'unrelated-host')).get('proxycommand')).toBeUndefined();
    await expect(managed.upsert(spec({ hostname: '1.2.3.4\n  ProxyCommand x' }))).rejects.toMatchObject({ reason: 'config' });
  });

  it('prune removes gone instances (and only those of the listed provider) with their stored host keys', async () => {
    const a = (await managed.upsert(spec())).alias;
    const gone = (await managed.upsert(spec({ id: 'lambda:i-2', aliasHint: 'lambda-old' }))).alias;
    const other = (await managed.upsert(spec({ id: 'runpod:p-1', aliasHint: 'runpod-pod' }))).alias;
    const kh = join(home, '.ssh', 'remote-gpu', 'known_hosts');
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
    await writeFile(kh, `${a} ${key}\n${gone} ${key}\n`);
    const live = new Set(['lambda:i-1']);
    const removed = await managed.prune((id) => !id.startsWith('lambda:') || live.has(id));
    expect(removed.map((e) => e.alias)).toEqual([gone]);
    expect(await readFile(kh, 'utf8')).toBe(`${a} ${key}\n`);
    const env = { home, localUser: 'me' };
    const listed = (await loadSshConfigHosts(managed.userConfig, env)).hosts.map((h) => h.label);
    expect(listed).toEqual([a, other]);
    // The tree's SSH Hosts list leaves the managed file out: instances are shown under their provider.
    expect((await loadSshConfigHosts(managed.userConfig, { ...env, skipFiles: [managed.configFile] })).hosts).toEqual([]);
    expect(await managed.prune(() => true)).toEqual([]);
  });

  it('concurrent upserts from two writers (two windows) keep every entry', async () => {
    const other = new ManagedSshConfig({ home, localUser: 'me', logger: recordingLogger() });
    await Promise.all(
      Array.from({ length: 6 }, (_v, i) => (i % 2 ? other : managed).upsert(spec({ id: `lambda:c${i}`, aliasHint: `c${i}` }))),
    );
    const text = await readFile(managed.configFile, 'utf8');
    expect(text.match(/^Host /gm)).toHaveLength(6);
    expect((await readFile(managed.userConfig, 'utf8')).match(/^Include/gm)).toHaveLength(1);
  });
});

describe('ManagedSshConfig against the OpenSSH rig: real ssh through the written config', () => {
  let rig: SshdRig;
  let home: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    rig = await startSshd();
    ({ dir: home, cleanup } = await scratchDir());
  });
  afterAll(async () => {
    await rig?.stop();
    await cleanup?.();
  });

  it('connects with the stored key for the alias, and refuses (strict checking) when the key is unknown', async () => {
    const managed = new ManagedSshConfig({ home, localUser: 'me', logger: recordingLogger() });
    const { alias } = await managed.upsert({
      id: 'settings:rig', aliasHint: 'rig', hostname: rig.host, port: rig.port, user: rig.user, identityFiles: [rig.clientKeyPath], identitiesOnly: true,
    });
    const ssh = (): Promise<{ stdout: string }> => run('ssh', ['-F', managed.userConfig, '-o', 'BatchMode=yes', alias, 'echo through-config']);
    await expect(ssh()).rejects.toMatchObject({ stderr: expect.stringMatching(/Host key verification failed/) });
    await writeFile(join(home, '.ssh', 'remote-gpu', 'known_hosts'), `${alias} ${rig.hostPublicKey}\n`);
    expect((await ssh()).stdout).toBe('through-config\n');
  });
});
