import { describe, expect, it } from 'vitest';
import type { SshHost } from './sshHost';
import { remoteSshAuthority, sshArgv, sshCommandLine } from './sshCommandLine';

const base: SshHost = { id: 'x', label: 'x', source: 'settings', hostname: 'gpu.example', port: 22, user: 'ubuntu', identityFiles: [], identitiesOnly: false };

describe('ssh command line', () => {
  it('uses the alias for ssh config hosts', () => {
    expect(sshCommandLine({ ...base, source: 'sshConfig', sshConfigAlias: 'lab-a100' })).toBe('ssh lab-a100');
  });

  it('spells out port, key, IdentitiesOnly and jump host for settings hosts', () => {
    const host: SshHost = { ...base, port: 2222, identityFiles: ['/home/me/My Keys/id'], identitiesOnly: true, proxyJump: { hostname: 'bastion', port: 22, user: 'j' } };
    expect(sshArgv(host)).toEqual(['ssh', '-p', '2222', '-i', '/home/me/My Keys/id', '-o', 'IdentitiesOnly=yes', '-J', 'j@bastion', 'ubuntu@gpu.example']);
    expect(sshCommandLine(host)).toBe("ssh -p 2222 -i '/home/me/My Keys/id' -o IdentitiesOnly=yes -J j@bastion ubuntu@gpu.example");
  });

  it('quotes a hostile key path so a paste cannot run it', () => {
    expect(sshCommandLine({ ...base, identityFiles: ["/tmp/$(rm -rf ~)'x"] })).toBe("ssh -i '/tmp/$(rm -rf ~)'\\''x' ubuntu@gpu.example");
  });

  it('builds Remote-SSH authorities, UTF-8 hex for hosts outside ssh config', () => {
    const uni = remoteSshAuthority({ ...base, user: 'jörg', hostname: 'gpu-😀' }).slice('ssh-remote+'.length);
    expect(JSON.parse(Buffer.from(uni, 'hex').toString('utf8')).user).toBe('jörg');
    expect(JSON.parse(Buffer.from(uni, 'hex').toString('utf8')).hostName).toBe('gpu-😀');
    expect(remoteSshAuthority({ ...base, sshConfigAlias: 'lab-a100' })).toBe('ssh-remote+lab-a100');
    const hex = remoteSshAuthority({ ...base, port: 2222 }).slice('ssh-remote+'.length);
    expect(JSON.parse(Buffer.from(hex, 'hex').toString('utf8'))).toEqual({ hostName: 'gpu.example', user: 'ubuntu', port: 2222 });
  });
});
