import { describe, expect, it } from 'vitest';
import type { Instance } from './instance';
import { formatDollarsPerHour, formatUptime, instanceDescription, isTransitional } from './instanceSummary';

const NOW = 1_750_000_000_000;
const base: Instance = {
  provider: 'lambda',
  id: 'i-1',
  name: 'train',
  state: 'running',
  providerStatus: 'active',
  gpuModel: 'H100',
  gpuCount: 8,
  priceMicrosPerHour: 23_920_000,
  createdAt: NOW - (2 * 3600 + 5 * 60 + 30) * 1000,
};

describe('instanceDescription', () => {
  it('shows GPUs, price and uptime of a running instance', () => {
    expect(instanceDescription(base, NOW)).toBe('H100 x 8 · $23.92/h · up 2h 05m');
  });

  it('names the state instead of an uptime when not running, and leaves uptime out when the provider gives no start', () => {
    expect(instanceDescription({ ...base, state: 'stopped', priceMicrosPerHour: 0 }, NOW)).toBe('H100 x 8 · $0.00/h · stopped');
    const { createdAt: _omit, ...noStart } = base;
    expect(instanceDescription(noStart, NOW)).toBe('H100 x 8 · $23.92/h');
  });

  it('says "no GPU" for a pod that came back without GPUs', () => {
    expect(instanceDescription({ ...base, gpuCount: 0 }, NOW)).toMatch(/^no GPU · /);
  });
});

describe('formatUptime', () => {
  it.each([
    [30_000, '<1m'],
    [12 * 60_000, '12m'],
    [(60 + 5) * 60_000, '1h 05m'],
    [(3 * 1440 + 4 * 60 + 59) * 60_000, '3d 4h'],
    [-5, '<1m'],
  ])('%d ms → %s', (ms, text) => expect(formatUptime(ms)).toBe(text));
});

describe('formatDollarsPerHour', () => {
  it('keeps a sub-cent rate visible', () => {
    expect(formatDollarsPerHour(4_000)).toBe('$0.004/h');
    expect(formatDollarsPerHour(2_490_000)).toBe('$2.49/h');
  });
});

describe('isTransitional', () => {
  it('is true only for states that settle by themselves', () => {
    expect(['provisioning', 'booting', 'stopping', 'terminating'].every((s) => isTransitional(s as Instance['state']))).toBe(true);
    expect(['running', 'stopped', 'terminated', 'error', 'unknown'].some((s) => isTransitional(s as Instance['state']))).toBe(false);
  });
});
