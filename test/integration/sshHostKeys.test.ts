import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isRemoteGpuError } from '../../src/core/errors';
import type { RemoteGpuError } from '../../src/core/errors';
import { hashHostName } from '../../src/remote/knownHosts';
import { SshConnection } from '../../src/remote/sshConnection';
import { startSshd } from '../rig/sshd.mjs';
import type { SshdRig } from '../rig/sshd.mjs';
import { makeDeps, rigHost, scratchDir, scriptedPrompt } from './sshTestKit';

async function connectError(p: Promise<SshConnection>): Promise<RemoteGpuError> {
  try {
    const conn = await p;
    conn.dispose();
  } catch (e) {
    if (isRemoteGpuError(e)) return e;
    throw e;
  }
  throw new Error('expected the connect to be refused');
}

describe('host key verification against OpenSSH sshd', () => {
  let rig: SshdRig;
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let fingerprint: string;
  const opened: SshConnection[] = [];

  beforeAll(async () => {
    rig = await startSshd();
    scratch = await scratchDir();
    fingerprint = execFileSync('ssh-keygen', ['-lf', `${rig.hostKeyPath}.pub`], { encoding: 'utf8' }).split(' ')[1] ?? '';
  });
  afterEach(() => {
    for (const c of opened.splice(0)) c.dispose();
  });
  afterAll(async () => {
    await rig?.stop();
    await scratch?.cleanup();
  });

  const name = () => `[127.0.0.1]:${rig.port}`;
  const keyB64 = () => rig.hostPublicKey.split(' ')[1] ?? '';

  it('accepts the key in the rig known_hosts without asking', async () => {
    const deps = makeDeps({ knownHostsFiles: [rig.knownHostsPath], prompt: scriptedPrompt(false) });
    opened.push(await SshConnection.connect(rigHost(rig), deps));
    expect(deps.prompt.asked).toEqual([]);
  });

  it('REFUSES a changed key with hostKeyChanged and never asks', async () => {
    const file = join(scratch.dir, 'changed_known_hosts');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(scratch.dir, 'other')]);
    const otherKey = (await readFile(join(scratch.dir, 'other.pub'), 'utf8')).split(' ').slice(0, 2).join(' ');
    await writeFile(file, `${name()} ${otherKey}\n`);
    const deps = makeDeps({ knownHostsFiles: [file], prompt: scriptedPrompt(true) });
    const e = await connectError(SshConnection.connect(rigHost(rig), deps));
    expect(e.reason).toBe('hostKeyChanged');
    expect(e.message).toContain(name());
    expect(e.message).toContain(fingerprint);
    expect(e.message).toContain('ssh-keygen -R');
    expect(deps.prompt.asked).toEqual([]);
    // The file is left alone: the old key is not replaced behind the user's back.
    expect(await readFile(file, 'utf8')).toBe(`${name()} ${otherKey}\n`);
  });

  it('accepts a hashed entry written by ssh-keygen -H', async () => {
    const file = join(scratch.dir, 'hashed_known_hosts');
    await writeFile(file, `${name()} ${rig.hostPublicKey}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    expect(await readFile(file, 'utf8')).toMatch(/^\|1\|/);
    const deps = makeDeps({ knownHostsFiles: [file], prompt: scriptedPrompt(false) });
    opened.push(await SshConnection.connect(rigHost(rig), deps));
    expect(deps.prompt.asked).toEqual([]);
  });

  it('accepts a hashed entry computed with our own HMAC', async () => {
    const file = join(scratch.dir, 'hmac_known_hosts');
    await writeFile(file, `${hashHostName(name(), randomBytes(20))} ${rig.hostPublicKey}\n`);
    const deps = makeDeps({ knownHostsFiles: [file] });
    opened.push(await SshConnection.connect(rigHost(rig), deps));
  });

  it('asks about an unknown host; yes writes known_hosts (0600 in a new 0700 dir) and connects', async () => {
    const file = join(scratch.dir, 'new-ssh-dir', 'known_hosts');
    const deps = makeDeps({ knownHostsFiles: [file], prompt: scriptedPrompt(true) });
    opened.push(await SshConnection.connect(rigHost(rig), deps));
    expect(deps.prompt.asked).toEqual([{ host: '127.0.0.1', port: rig.port, keyType: 'ssh-ed25519', fingerprintSha256: fingerprint }]);
    expect(await readFile(file, 'utf8')).toBe(`${name()} ${rig.hostPublicKey}\n`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(scratch.dir, 'new-ssh-dir'))).mode & 0o777).toBe(0o700);
    // ssh itself agrees with the line we wrote.
    const out = execFileSync('ssh-keygen', ['-F', name(), '-f', file], { encoding: 'utf8' });
    expect(out).toContain(keyB64());
    // The second connect trusts the written key without asking again.
    const again = makeDeps({ knownHostsFiles: [file], prompt: scriptedPrompt(false) });
    opened.push(await SshConnection.connect(rigHost(rig), again));
    expect(again.prompt.asked).toEqual([]);
  });

  it('asks about an unknown host; no gives hostKeyRejected and writes nothing', async () => {
    const file = join(scratch.dir, 'declined_known_hosts');
    const deps = makeDeps({ knownHostsFiles: [file], prompt: scriptedPrompt(false) });
    const e = await connectError(SshConnection.connect(rigHost(rig), deps));
    expect(e.reason).toBe('hostKeyRejected');
    expect(deps.prompt.asked).toHaveLength(1);
    await expect(stat(file)).rejects.toThrow();
  });

  it('appends to an existing known_hosts without a final newline, and reads later files too', async () => {
    const first = join(scratch.dir, 'first_known_hosts');
    await writeFile(first, 'other.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl');
    const deps = makeDeps({ knownHostsFiles: [first, rig.knownHostsPath], prompt: scriptedPrompt(true) });
    opened.push(await SshConnection.connect(rigHost(rig), deps));
    expect(deps.prompt.asked).toEqual([]);
    const deps2 = makeDeps({ knownHostsFiles: [first], prompt: scriptedPrompt(true) });
    opened.push(await SshConnection.connect(rigHost(rig), deps2));
    expect((await readFile(first, 'utf8')).split('\n')).toEqual([
      'other.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
      `${name()} ${rig.hostPublicKey}`,
      '',
    ]);
  });

  it('refuses a @revoked key even when another line trusts it', async () => {
    const file = join(scratch.dir, 'revoked_known_hosts');
    await writeFile(file, `${name()} ${rig.hostPublicKey}\n@revoked * ${rig.hostPublicKey}\n`);
    const deps = makeDeps({ knownHostsFiles: [file], prompt: scriptedPrompt(true) });
    const e = await connectError(SshConnection.connect(rigHost(rig), deps));
    expect(e.reason).toBe('hostKeyChanged');
    expect(e.message).toMatch(/revoked/);
    expect(deps.prompt.asked).toEqual([]);
  });

  it('treats a name known only with other key types as unknown, and warns', async () => {
    const file = join(scratch.dir, 'othertype_known_hosts');
    execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', join(scratch.dir, 'ecdsa')]);
    const ecdsa = (await readFile(join(scratch.dir, 'ecdsa.pub'), 'utf8')).split(' ').slice(0, 2).join(' ');
    await writeFile(file, `${name()} ${ecdsa}\n`);
    const deps = makeDeps({ knownHostsFiles: [file], prompt: scriptedPrompt(true) });
    opened.push(await SshConnection.connect(rigHost(rig), deps));
    expect(deps.prompt.asked).toHaveLength(1);
    expect(deps.logger.lines.some((l) => l.startsWith('warn') && l.includes('known only with ecdsa-sha2-nistp256'))).toBe(true);
  });

  it('asks once for two concurrent connects to the same unknown host', async () => {
    const file = join(scratch.dir, 'concurrent_known_hosts');
    const deps = makeDeps({ knownHostsFiles: [file], prompt: scriptedPrompt(true) });
    const [a, b] = await Promise.all([SshConnection.connect(rigHost(rig), deps), SshConnection.connect(rigHost(rig), deps)]);
    opened.push(a, b);
    expect(deps.prompt.asked).toHaveLength(1);
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(1);
  });
});
