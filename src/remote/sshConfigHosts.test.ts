import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSshConfigHosts } from './sshConfigHosts';

function fakeHome(files: Record<string, string>): string {
  const home = mkdtempSync(join(tmpdir(), 'rg-home-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(home, rel, '..'), { recursive: true });
    writeFileSync(join(home, rel), text);
  }
  return home;
}

describe('ssh config hosts', () => {
  it('lists concrete hosts, applies Host * defaults, skips wildcards and negations', async () => {
    const home = fakeHome({
      '.ssh/config': [
        'Host lab-a100 lab-alias',
        '  HostName 10.0.0.5',
        '  Port 2200',
        '  IdentityFile ~/.ssh/lab_%u',
        '',
        'Host *.internal !bastion',
        '  User ops',
        'Host *',
        '  User alice',
        '  IdentityFile ~/.ssh/id_ed25519',
      ].join('\n'),
    });
    const { hosts, problems } = await loadSshConfigHosts(join(home, '.ssh/config'), { home, localUser: 'me' });
    expect(problems).toEqual([]);
    expect(hosts.map((h) => h.label)).toEqual(['lab-a100', 'lab-alias']);
    expect(hosts[0]).toMatchObject({
      id: 'sshConfig:lab-a100',
      hostname: '10.0.0.5',
      port: 2200,
      user: 'alice',
      identityFiles: [join(home, '.ssh/lab_me'), join(home, '.ssh/id_ed25519')],
      sshConfigAlias: 'lab-a100',
    });
  });

  it('honours Include with relative paths, globs and nesting, and keeps first-value-wins', async () => {
    const home = fakeHome({
      '.ssh/config': 'Include conf.d/*.conf\nHost main\n  HostName main.example\n',
      '.ssh/conf.d/10-gpu.conf': 'Host gpu-box\n  HostName 192.0.2.7\n  User ubuntu\nInclude ~/.ssh/nested\n',
      '.ssh/conf.d/ignored.txt': 'Host not-included\n',
      '.ssh/nested': 'Host nested-box\n  Port 2022\n',
    });
    const { hosts, files } = await loadSshConfigHosts(join(home, '.ssh/config'), { home, localUser: 'me' });
    expect(hosts.map((h) => h.label).sort()).toEqual(['gpu-box', 'main', 'nested-box']);
    expect(hosts.find((h) => h.label === 'gpu-box')).toMatchObject({ hostname: '192.0.2.7', user: 'ubuntu', port: 22 });
    expect(hosts.find((h) => h.label === 'nested-box')?.port).toBe(2022);
    expect(files).toHaveLength(3);
  });

  it('survives include loops and missing files', async () => {
    const home = fakeHome({ '.ssh/config': 'Include ~/.ssh/config\nInclude missing-file\nHost loop\n' });
    const { hosts, problems } = await loadSshConfigHosts(join(home, '.ssh/config'), { home, localUser: 'me' });
    expect(hosts.map((h) => h.label)).toEqual(['loop']);
    expect(problems.some((p) => p.includes('nested more than'))).toBe(true);
    expect(problems.some((p) => p.includes('missing-file'))).toBe(true);
  });

  it('parses one ProxyJump hop and reports multi-hop as a problem for that host only', async () => {
    const home = fakeHome({
      '.ssh/config': 'Host behind\n  ProxyJump jumper@bastion.example:2222\nHost twohop\n  ProxyJump a,b\nHost plain\n',
    });
    const { hosts, problems } = await loadSshConfigHosts(join(home, '.ssh/config'), { home, localUser: 'me' });
    expect(hosts.map((h) => h.label)).toEqual(['behind', 'plain']);
    expect(hosts[0]?.proxyJump).toEqual({ hostname: 'bastion.example', port: 2222, user: 'jumper' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/twohop.*one jump host/);
  });

  it('never runs Match exec', async () => {
    const home = fakeHome({});
    const marker = join(home, 'pwned');
    writeFileSync(join(home, 'config'), `Match exec "touch ${marker}"\n  User evil\nHost box\n`);
    const { hosts } = await loadSshConfigHosts(join(home, 'config'), { home, localUser: 'me' });
    expect(hosts[0]?.user).toBe('me');
    expect(existsSync(marker)).toBe(false);
  });

  it('treats a missing config as no hosts, without a problem', async () => {
    const home = fakeHome({});
    expect(await loadSshConfigHosts(join(home, '.ssh/config'), { home, localUser: 'me' })).toEqual({ hosts: [], problems: [], files: [] });
  });
});
