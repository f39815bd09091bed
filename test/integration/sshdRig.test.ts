import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INSTALL_HINT, startSshd } from '../rig/sshd.mjs';

const alive = (pid: number | undefined) => pid !== undefined && existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');

describe('the sshd test rig itself', () => {
  it('names the exact install command when sshd is missing', async () => {
    await expect(startSshd({ sshdPath: '/nonexistent/sshd' })).rejects.toThrow(INSTALL_HINT);
    expect(INSTALL_HINT).toBe('apt-get install -y --no-install-recommends openssh-server openssh-client');
  });

  it('names the exact install command when ssh-keygen is missing', async () => {
    await expect(startSshd({ sshKeygenPath: '/nonexistent/ssh-keygen' })).rejects.toThrow(INSTALL_HINT);
  });

  it('refuses env values that would break out of sshd_config quoting', async () => {
    await expect(startSshd({ env: { X: 'a"b' } })).rejects.toThrow(/must not contain/);
    await expect(startSshd({ env: { 'BAD NAME': 'x' } })).rejects.toThrow(/bad env name/);
  });

  it('starts with its own keys, a matching known_hosts, and stops without leaving anything behind', async () => {
    const rig = await startSshd();
    const pid = rig.pid();
    try {
      expect(rig.host).toBe('127.0.0.1');
      expect(rig.hostPublicKey).toMatch(/^ssh-ed25519 [A-Za-z0-9+/]+=*$/);
      expect(readFileSync(rig.knownHostsPath, 'utf8')).toBe(`[127.0.0.1]:${rig.port} ${rig.hostPublicKey}\n`);
      expect(readFileSync(rig.logPath, 'utf8')).toContain(`Server listening on 127.0.0.1 port ${rig.port}`);
      // OpenSSH's own client accepts the rig with strict host key checking.
      const out = execFileSync('ssh', ['-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${rig.knownHostsPath}`, '-i', rig.clientKeyPath, '-p', String(rig.port), `${rig.user}@127.0.0.1`, 'echo ok'], { encoding: 'utf8' });
      expect(out).toBe('ok\n');
      expect(alive(pid)).toBe(true);
    } finally {
      await rig.stop();
    }
    expect(alive(pid)).toBe(false);
    expect(existsSync(rig.dir)).toBe(false);
  });
});
