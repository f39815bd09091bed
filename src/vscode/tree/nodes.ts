import type { SshHost } from '../../core/hosts/sshHost';
import type { GpuInfo } from '../../core/telemetry/gpuInventory';
import type { RemoteGpuError } from '../../core/errors';
import type { ProviderCapabilities } from '../../core/providers/capabilities';
import type { Instance } from '../../core/providers/instance';
import type { ProviderId } from '../../core/providers/providerId';

/*
 * contextValue scheme (menus in package.json match these with `viewItem =~ /.../`; fields are `;`-separated so a
 * regex can anchor on `;name;` or `;name$`):
 *   provider;ssh                                   the SSH hosts group
 *   provider;cloud;<providerId>;configured          a cloud provider whose API key is set (Provision..., Remove API Key)
 *   provider;cloud;<providerId>;keyMissing          a cloud provider without a key (Set API Key...)
 *   host;ssh;<source>                               an SSH host (Open Terminal, Copy SSH Command, Dashboard...)
 *   instance;<providerId>;<state>[;stoppable][;restartable][;ssh]
 *                                                  a cloud instance; <state> is an InstanceState. `stoppable` /
 *                                                  `restartable` come from the provider's capabilities (Lambda has
 *                                                  no stop, so never `stoppable`); `ssh` means it is running with an
 *                                                  SSH endpoint, so host commands work on it (the node carries `host`).
 *                                                  Stop: /^instance;.*;running;.*stoppable/   Start: /^instance;.*;stopped;.*stoppable/
 *   apiKeyMissing;<providerId>                      the "API key missing" child (click: Set API Key...)
 *   forward;active | forward;broken                a forwarded port under a host/instance (Open in Browser, Stop; Retry when broken)
 *   error;<reason>[;retryable]                      a host's or a provider's error child (Retry)
 *   gpu, message;<severity>
 */

/** A group at the top of the tree: the SSH hosts, then one per cloud provider. */
export type ProviderNode = SshProviderNode | CloudProviderNode;

export interface SshProviderNode {
  readonly kind: 'provider';
  readonly providerId: 'ssh';
  readonly label: string;
}

export interface CloudProviderNode {
  readonly kind: 'provider';
  readonly providerId: ProviderId;
  readonly label: string;
  /** An API key is stored for it. */
  readonly configured: boolean;
}

/**
 * A cloud instance. `host` is present when the instance is running with an SSH endpoint: it then expands to its
 * GPUs and every host command (terminal, dashboard, copy SSH command) takes it like an SSH host
 * (id `<providerId>:<instanceId>`, see core/hosts/instanceSshHost).
 */
export interface InstanceNode {
  readonly kind: 'instance';
  readonly providerId: ProviderId;
  readonly instance: Instance;
  readonly capabilities: ProviderCapabilities;
  readonly host?: SshHost;
}

/** Under a cloud provider without a key: clicking it runs Set API Key... */
export interface ApiKeyMissingNode {
  readonly kind: 'apiKeyMissing';
  readonly providerId: ProviderId;
  readonly label: string;
}

/** A provider call failed: one error child under that provider, with Retry; other providers are unaffected. */
export interface ProviderErrorNode {
  readonly kind: 'providerError';
  readonly providerId: ProviderId;
  readonly error: RemoteGpuError;
}

export interface HostNode {
  readonly kind: 'host';
  readonly host: SshHost;
}

export interface GpuNode {
  readonly kind: 'gpu';
  readonly host: SshHost;
  readonly gpu: GpuInfo;
  /** Live reading ("97% · 3.6/80 GiB · 64°C") while the host is streamed; absent otherwise. */
  readonly live?: string;
}

/** One clear error in place of a host's children; the rest of the tree is unaffected. */
export interface ErrorNode {
  readonly kind: 'error';
  readonly host: SshHost;
  readonly error: RemoteGpuError;
}

/** A non-error line: "No GPUs found", or config problems under a provider. */
export interface MessageNode {
  readonly kind: 'message';
  readonly id: string;
  readonly label: string;
  readonly tooltip?: string;
  readonly severity: 'info' | 'warning';
}

/** A forwarded port of a host ("localhost:6006 → 6006"), listed first under its host or instance. */
export interface ForwardNode {
  readonly kind: 'forward';
  readonly host: SshHost;
  /** PortForwards id; the node's commands (Open in Browser, Stop Forwarding, Retry) take it. */
  readonly forwardId: string;
  readonly localPort: number;
  readonly remotePort: number;
  /** Why it is broken (SSH connection lost); absent while it works. */
  readonly broken?: string;
}

export type TreeNode = ProviderNode | HostNode | GpuNode | ErrorNode | MessageNode | InstanceNode | ApiKeyMissingNode | ProviderErrorNode | ForwardNode;

export function isHostNode(value: unknown): value is HostNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'host';
}

export function isErrorNode(value: unknown): value is ErrorNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'error';
}

export function isInstanceNode(value: unknown): value is InstanceNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'instance';
}

export function isCloudProviderNode(value: unknown): value is CloudProviderNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'provider' && (value as { providerId?: unknown }).providerId !== 'ssh';
}
