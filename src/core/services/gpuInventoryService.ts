import type { SshHost } from '../hosts/sshHost';
import type { RemoteExec } from '../remote/remoteCommand';
import { runRemote } from '../remote/remoteCommand';
import { gpuInventoryCommand, type GpuInfo } from '../telemetry/gpuInventory';

/** How the service reaches a host: the pooled connection in the extension, a fake in unit tests. */
export type ConnectFn = (host: SshHost) => Promise<RemoteExec>;

/**
 * The GPU list of each host, asked once and kept until invalidated: expanding a tree node twice must not open two
 * connections or run nvidia-smi twice. Concurrent callers share the in-flight request. Failures are not cached, so a
 * retry really retries.
 */
export class GpuInventoryService {
  private readonly cache = new Map<string, Promise<GpuInfo[]>>();

  constructor(
    private readonly connect: ConnectFn,
    private readonly timeoutMs: () => number,
  ) {}

  get(host: SshHost): Promise<GpuInfo[]> {
    const cached = this.cache.get(host.id);
    if (cached) return cached;
    const pending = this.load(host);
    this.cache.set(host.id, pending);
    pending.catch(() => {
      if (this.cache.get(host.id) === pending) this.cache.delete(host.id);
    });
    return pending;
  }

  invalidate(hostId: string): void {
    this.cache.delete(hostId);
  }

  clear(): void {
    this.cache.clear();
  }

  private async load(host: SshHost): Promise<GpuInfo[]> {
    const exec = await this.connect(host);
    return runRemote(exec, gpuInventoryCommand, { timeoutMs: this.timeoutMs() });
  }
}
