import { describe, expect, it } from 'vitest';
import type { SshHost } from '../hosts/sshHost';
import type { ExecResult, RemoteExec } from '../remote/remoteCommand';
import { GpuInventoryService } from './gpuInventoryService';

const host: SshHost = { id: 'h1', label: 'h1', source: 'settings', hostname: 'x', port: 22, user: 'u', identityFiles: [], identitiesOnly: false };

function fakeExec(results: ExecResult[]): RemoteExec & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    exec: async (argv) => {
      calls.push([...argv]);
      const next = results.shift();
      if (!next) throw new Error('no more results');
      return next;
    },
  };
}

describe('GpuInventoryService', () => {
  it('runs nvidia-smi once for concurrent and repeated callers', async () => {
    const exec = fakeExec([{ stdout: '0, NVIDIA L4, 23034, GPU-1\n', stderr: '', code: 0, signal: null }]);
    const service = new GpuInventoryService(async () => exec, () => 1000);
    const [a, b] = await Promise.all([service.get(host), service.get(host)]);
    expect(a).toBe(b);
    expect(await service.get(host)).toBe(a);
    expect(exec.calls).toHaveLength(1);
  });

  it('does not cache failures, so retry really retries', async () => {
    const exec = fakeExec([
      { stdout: '', stderr: 'nvidia-smi: not found', code: 127, signal: null },
      { stdout: '0, NVIDIA L4, 23034, GPU-1\n', stderr: '', code: 0, signal: null },
    ]);
    const service = new GpuInventoryService(async () => exec, () => 1000);
    await expect(service.get(host)).rejects.toMatchObject({ reason: 'commandNotFound' });
    expect((await service.get(host))[0]?.name).toBe('NVIDIA L4');
  });

  it('asks again after invalidate', async () => {
    const row = { stdout: '0, NVIDIA L4, 23034, GPU-1\n', stderr: '', code: 0, signal: null };
    const exec = fakeExec([row, row]);
    const service = new GpuInventoryService(async () => exec, () => 1000);
    await service.get(host);
    service.invalidate('h1');
    await service.get(host);
    expect(exec.calls).toHaveLength(2);
  });
});
