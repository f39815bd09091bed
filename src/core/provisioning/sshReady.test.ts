import { describe, expect, it } from 'vitest';
import { RemoteGpuError, type ErrorReason } from '../errors';
import { waitForSsh, type SshProbeTarget } from './sshReady';

const target: SshProbeTarget = { id: 'p', label: 'box', endpoint: { host: '10.0.0.7', port: 22, user: 'ubuntu' }, identityFile: '/k' };

function run(failures: ErrorReason[], timeoutMs = 60_000) {
  let now = 0;
  const attempts: number[] = [];
  const p = waitForSsh(
    {
      attempt: async () => {
        attempts.push(now);
        const reason = failures.shift();
        if (reason) throw new RemoteGpuError(reason, `${reason}!`);
      },
    },
    target,
    { clock: { now: () => now }, sleep: async (ms) => void (now += ms), intervalMs: 3_000, timeoutMs, signal: new AbortController().signal },
  );
  return { p, attempts };
}

describe('waitForSsh', () => {
  it('retries what a booting machine goes through (refused, timeout, key not installed yet) until the handshake works', async () => {
    const r = run(['unreachable', 'timeout', 'auth', 'connectionLost']);
    await r.p;
    expect(r.attempts).toEqual([0, 3000, 6000, 9000, 12000]);
  });
  it('never waits out a changed or refused host key', async () => {
    await expect(run(['hostKeyChanged']).p).rejects.toMatchObject({ reason: 'hostKeyChanged' });
    await expect(run(['hostKeyRejected']).p).rejects.toMatchObject({ reason: 'hostKeyRejected' });
  });
  it('gives up at the deadline with a timeout that names the endpoint and the last failure', async () => {
    const r = run(Array(100).fill('unreachable'), 10_000);
    await expect(r.p).rejects.toMatchObject({ reason: 'timeout', message: 'SSH on box (10.0.0.7:22) did not answer within 10 s: unreachable!' });
    expect(r.attempts).toEqual([0, 3000, 6000, 9000, 10000]);
  });
});
