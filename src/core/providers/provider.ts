import type { ProviderCapabilities } from './capabilities';
import type { Instance } from './instance';
import type { Offer } from './offer';
import type { ProviderId } from './providerId';

/** Every provider call can be cancelled; the provider also applies its own per-request timeout. */
export interface CallOptions {
  readonly signal?: AbortSignal;
}

/** What the user chose in the provisioning flow. */
export interface ProvisionRequest {
  /** An Offer.id from this provider's listOffers. */
  readonly offerId: string;
  /** Display name of the new instance (providers cap it at 64 characters). */
  readonly name: string;
  /** For offers with maxGpuCount (RunPod); others ignore it. */
  readonly gpuCount?: number;
  /** A key name from listSshKeys. Required where capabilities.sshKeys is 'perLaunch' (Lambda). */
  readonly sshKeyName?: string;
  /** Container image (RunPod) or image family (Lambda); the provider's default when absent. */
  readonly image?: string;
  readonly diskGiB?: number;
}

/** A provision was accepted; the instance is on its way. Poll getInstance (see waitForInstance) for the rest. */
export interface ProvisionResult {
  readonly instanceId: string;
}

/**
 * The one provider interface (ARCHITECTURE principle 3). Every method rejects only with RemoteGpuError
 * (auth, quota, capacity, notFound, rateLimited, unavailable, invalidResponse, timeout, cancelled, ...).
 * Reads are retried with capped backoff; `provision` is never retried, so a launch is never sent twice.
 */
export interface CloudProvider {
  readonly id: ProviderId;
  readonly displayName: string;
  readonly capabilities: ProviderCapabilities;
  listInstances(options?: CallOptions): Promise<Instance[]>;
  /** Rejects with reason 'notFound' when the provider no longer knows the instance. */
  getInstance(instanceId: string, options?: CallOptions): Promise<Instance>;
  /** Every shape the provider lists, sold-out ones included with `available: false`. */
  listOffers(options?: CallOptions): Promise<Offer[]>;
  /** Sent exactly once: a timeout or 5xx here is reported, never retried (it may have launched). */
  provision(request: ProvisionRequest, options?: CallOptions): Promise<ProvisionResult>;
  /** Idempotent: terminating an instance that is already gone, or going, succeeds. */
  terminate(instanceId: string, options?: CallOptions): Promise<void>;
}

/** Stop keeps the instance and its disk; see capabilities.stopKeepsBilling and gpuMayNotReturnOnStart. */
export interface Stoppable {
  /** Idempotent: stopping a stopped instance succeeds. */
  stop(instanceId: string, options?: CallOptions): Promise<void>;
  /** Idempotent: starting a running or starting instance succeeds. */
  start(instanceId: string, options?: CallOptions): Promise<void>;
}

/** Reboot in place. */
export interface Restartable {
  restart(instanceId: string, options?: CallOptions): Promise<void>;
}

/** An SSH public key the provider stores for the account. */
export interface SshKey {
  /** The provider's id for the key, or the key itself where the provider has no ids (RunPod). */
  readonly id: string;
  readonly name: string;
  /** "ssh-ed25519 AAAA... comment" */
  readonly publicKey: string;
}

export interface SshKeyManager {
  listSshKeys(options?: CallOptions): Promise<SshKey[]>;
  /** Adds the key unless one with the same key material is there already; returns the stored key either way. */
  uploadSshKey(key: { readonly name: string; readonly publicKey: string }, options?: CallOptions): Promise<SshKey>;
}

/** Providers that report an instance's SSH host keys, so the first connection is verified without asking. */
export interface HostKeyFingerprints {
  /** "SHA256:..." fingerprints; empty while the provider does not know them yet. */
  hostKeyFingerprints(instanceId: string, options?: CallOptions): Promise<string[]>;
}

function hasMethods(p: object, names: readonly string[]): boolean {
  const record = p as Record<string, unknown>;
  return names.every((n) => typeof record[n] === 'function');
}

/** True when the provider both says it can stop and implements stop/start; the two must agree. */
export function isStoppable(p: CloudProvider): p is CloudProvider & Stoppable {
  return p.capabilities.canStop && hasMethods(p, ['stop', 'start']);
}

export function isRestartable(p: CloudProvider): p is CloudProvider & Restartable {
  return p.capabilities.canRestart && hasMethods(p, ['restart']);
}

export function isSshKeyManager(p: CloudProvider): p is CloudProvider & SshKeyManager {
  return hasMethods(p, ['listSshKeys', 'uploadSshKey']);
}

export function hasHostKeyFingerprints(p: CloudProvider): p is CloudProvider & HostKeyFingerprints {
  return p.capabilities.hostKeyFingerprints && hasMethods(p, ['hostKeyFingerprints']);
}
