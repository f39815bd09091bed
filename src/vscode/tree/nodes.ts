import type { SshHost } from '../../core/hosts/sshHost';
import type { GpuInfo } from '../../core/telemetry/gpuInventory';
import type { RemoteGpuError } from '../../core/errors';

/** A provider at the top of the tree. Only "ssh" exists today; cloud providers join this union. */
export interface ProviderNode {
  readonly kind: 'provider';
  readonly providerId: 'ssh';
  readonly label: string;
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

export type TreeNode = ProviderNode | HostNode | GpuNode | ErrorNode | MessageNode;

export function isHostNode(value: unknown): value is HostNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'host';
}

export function isErrorNode(value: unknown): value is ErrorNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'error';
}
