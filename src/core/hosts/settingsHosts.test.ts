import { describe, expect, it } from 'vitest';
import { dollarsToMicros, hostsFromSettings } from './settingsHosts';
import { formatPerHour } from '../../shared/localeFormat';

const env = { localUser: 'me', expandHome: (p: string) => p.replace(/^~(?=\/|$)/, '/home/me') };

describe('hosts from settings', () => {
  it('fills defaults and expands ~', () => {
    const { hosts, problems } = hostsFromSettings([{ host: 'gpu.lab', identityFile: '~/.ssh/lab', pricePerHour: 1.99 }], env);
    expect(problems).toEqual([]);
    expect(hosts).toEqual([
      {
        id: 'settings:me@gpu.lab:22',
        label: 'me@gpu.lab',
        source: 'settings',
        hostname: 'gpu.lab',
        port: 22,
        user: 'me',
        identityFiles: ['/home/me/.ssh/lab'],
        identitiesOnly: false,
        pricePerHourMicros: 1_990_000,
      },
    ]);
  });

  it('skips bad entries with a readable problem and keeps the good ones', () => {
    const { hosts, problems } = hostsFromSettings(
      [{ host: 'ok', name: 'Box' }, { host: 'root@x' }, { host: 'y', port: 70000 }, 'nonsense', { host: 'ok', name: 'dup' }],
      env,
    );
    expect(hosts.map((h) => h.label)).toEqual(['Box']);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/sshHosts\[1\]: host/);
    expect(problems[1]).toMatch(/sshHosts\[2\]: port/);
    expect(problems[3]).toMatch(/listed twice/);
  });

  it('treats a non-array as a problem, not a crash', () => {
    expect(hostsFromSettings({ host: 'x' }, env).problems).toEqual(['remoteGpu.sshHosts must be an array.']);
    expect(hostsFromSettings(undefined, env)).toEqual({ hosts: [], problems: [] });
  });

  it('keeps money in integer micro-dollars', () => {
    expect(dollarsToMicros(2.49)).toBe(2_490_000);
    expect(dollarsToMicros(0.1 + 0.2)).toBe(300_000);
    expect(formatPerHour(2_490_000)).toBe('$2.49/h');
  });
});
