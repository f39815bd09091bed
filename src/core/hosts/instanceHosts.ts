import { z } from 'zod';
import type { Logger } from '../logger';
import type { Instance } from '../providers/instance';
import { instanceHostId, instanceSshHost } from './instanceSshHost';
import type { SshHost } from './sshHost';

/** A small persistent key-value store (VS Code's globalState fits it structurally). */
export interface KeyValueStore {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface InstanceHostsDeps {
  /** The keys every instance is offered (remoteGpu.providers.sshIdentityFile or the default ~/.ssh keys), read per call. */
  readonly identityFiles: () => readonly string[];
  readonly store: KeyValueStore;
  readonly logger: Logger;
}

/** The state key: host id (`<provider>:<instanceId>`) → the private key's PATH. Never the key itself. */
export const LAUNCH_KEYS_STATE = 'remoteGpu.launchKeys';
const storedKeys = z.record(z.string(), z.string());

/**
 * The one place an Instance becomes an SshHost. Tree, provisioning, connect, auto-stop and the dashboard all ask
 * here, so they hold equal hosts and share one pooled connection: when two callers built the host differently
 * (launch key first vs the configured keys), each asked the pool for a different identity and the dashboard's
 * stream and the tree's GPU query dropped each other's connection ("Reconnecting / Cancelled.").
 * The key a launch used is remembered per instance, so after a reload the instance is still offered that key first.
 */
export class InstanceHosts {
  private keys: Record<string, string> | undefined;

  constructor(private readonly deps: InstanceHostsDeps) {}

  /** The instance's SSH host, or undefined while it is not running or has no SSH address. */
  hostOf(instance: Instance): SshHost | undefined {
    const launchKey = this.launchKeys()[instanceHostId(instance)];
    return instanceSshHost(instance, { identityFiles: this.deps.identityFiles(), ...(launchKey ? { launchKey } : {}) });
  }

  /** The key (path) a launch gave the instance; saved before anything connects with it. */
  async rememberLaunchKey(instance: Pick<Instance, 'provider' | 'id'>, privateKeyPath: string): Promise<void> {
    const id = instanceHostId(instance);
    if (this.launchKeys()[id] === privateKeyPath) return;
    this.keys = { ...this.launchKeys(), [id]: privateKeyPath };
    await this.save();
  }

  /** The instance is gone (terminated, no longer listed): its entry goes too, so the state does not grow forever. */
  async forget(hostId: string): Promise<void> {
    if (!(hostId in this.launchKeys())) return;
    const { [hostId]: _gone, ...rest } = this.launchKeys();
    this.keys = rest;
    await this.save();
  }

  private launchKeys(): Record<string, string> {
    if (!this.keys) {
      const parsed = storedKeys.safeParse(this.deps.store.get(LAUNCH_KEYS_STATE) ?? {});
      if (!parsed.success) this.deps.logger.warn(`${LAUNCH_KEYS_STATE}: unreadable state ignored`);
      this.keys = parsed.success ? parsed.data : {};
    }
    return this.keys;
  }

  private async save(): Promise<void> {
    try {
      await this.deps.store.update(LAUNCH_KEYS_STATE, this.keys);
    } catch (e) {
      // Losing the memory only means the configured keys are offered first after a reload; never fail a launch for it.
      this.deps.logger.error('could not save the launch keys', e);
    }
  }
}
