import { homedir } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ProviderId } from '../../core/providers/providerId';
import { expandPath } from '../../remote/sshConfigHosts';
import { SECTION } from '../adapters/settings';

/** Every provider Remote GPU knows, in tree order. Names are here so that listing them loads no provider module. */
export const PROVIDERS: readonly { readonly id: ProviderId; readonly displayName: string }[] = [
  { id: 'lambda', displayName: 'Lambda Cloud' },
  { id: 'runpod', displayName: 'RunPod' },
  { id: 'vast', displayName: 'Vast.ai' },
  { id: 'ec2', displayName: 'AWS EC2' },
];

export function providerDisplayName(id: ProviderId): string {
  return PROVIDERS.find((p) => p.id === id)?.displayName ?? id;
}

export function isProviderId(value: unknown): value is ProviderId {
  return typeof value === 'string' && PROVIDERS.some((p) => p.id === value);
}

/** `remoteGpu.providers.*`: endpoints (a proxy or a test server) and SSH details the APIs do not report. */
export interface ProviderSettings {
  readonly lambda: { readonly endpoint?: string; readonly sshPort: number; readonly sshUser: string };
  readonly runpod: { readonly endpoint?: string };
  readonly vast: { readonly endpoint?: string };
  readonly ec2: {
    readonly region: string;
    readonly endpoint?: string;
    readonly pricingEndpoint?: string;
    readonly imageId?: string;
    readonly sshUser?: string;
    readonly sshPort?: number;
  };
  /** Providers shown in the tree (all four unless the user trims the list). */
  readonly visible: readonly ProviderId[];
}

export const PROVIDERS_SECTION = `${SECTION}.providers`;

export function readProviderSettings(): ProviderSettings {
  const c = vscode.workspace.getConfiguration(PROVIDERS_SECTION);
  const visibleRaw = c.get<unknown>('visible');
  const visible = Array.isArray(visibleRaw) ? visibleRaw.filter(isProviderId) : PROVIDERS.map((p) => p.id);
  const ec2Port = optionalPort(c.get('ec2.sshPort'));
  return {
    lambda: { ...endpoint(c.get('lambda.endpoint')), sshPort: optionalPort(c.get('lambda.sshPort')) ?? 22, sshUser: text(c.get('lambda.sshUser')) ?? 'ubuntu' },
    runpod: endpoint(c.get('runpod.endpoint')),
    vast: endpoint(c.get('vast.endpoint')),
    ec2: {
      region: text(c.get('ec2.region')) ?? 'us-east-1',
      ...endpoint(c.get('ec2.endpoint')),
      ...(text(c.get('ec2.pricingEndpoint')) ? { pricingEndpoint: text(c.get('ec2.pricingEndpoint')) as string } : {}),
      ...(text(c.get('ec2.imageId')) ? { imageId: text(c.get('ec2.imageId')) as string } : {}),
      ...(text(c.get('ec2.sshUser')) ? { sshUser: text(c.get('ec2.sshUser')) as string } : {}),
      ...(ec2Port !== undefined ? { sshPort: ec2Port } : {}),
    },
    visible,
  };
}

/**
 * The private keys offered to cloud instances after the agent: the `remoteGpu.providers.sshIdentityFile` setting, or
 * the usual ~/.ssh/id_* files that exist (what `ssh` itself would try).
 */
export function instanceIdentityFiles(): string[] {
  const home = homedir();
  const configured = text(vscode.workspace.getConfiguration(PROVIDERS_SECTION).get('sshIdentityFile'));
  if (configured) return [expandPath(configured, home)];
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => join(home, '.ssh', f)).filter((p) => existsSync(p));
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function endpoint(value: unknown): { endpoint?: string } {
  const v = text(value);
  return v ? { endpoint: v } : {};
}

function optionalPort(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535 ? value : undefined;
}
