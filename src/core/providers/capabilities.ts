/**
 * What a provider can do, as data: the UI decides menus and warnings from this without calling the provider
 * (ARCHITECTURE principle 3). It must agree with the optional interfaces the provider object implements;
 * `src/core/providers/provider.ts` has the type guards that check both.
 */
export interface ProviderCapabilities {
  /** Stop keeps the instance (and its disk) and pauses compute billing; start brings it back. */
  readonly canStop: boolean;
  /** What still bills while stopped: nothing, the disk/volume only, or everything (a powered-off droplet). */
  readonly stopKeepsBilling: 'none' | 'disk' | 'all';
  /** Start may come back on a host with fewer or zero GPUs (RunPod "zero GPU pods", Vast). */
  readonly gpuMayNotReturnOnStart: boolean;
  /** A reboot in place that changes nothing about billing. */
  readonly canRestart: boolean;
  /** Spot / interruptible instances can be provisioned. */
  readonly hasSpot: boolean;
  /**
   * How SSH keys reach an instance: 'perLaunch' = one registered key named at launch (Lambda);
   * 'account' = every account key is injected into instances created later (RunPod).
   */
  readonly sshKeys: 'perLaunch' | 'account';
  /** The provider reports the instance's SSH host-key fingerprints, so the first connect need not ask. */
  readonly hostKeyFingerprints: boolean;
  /** Terminate erases the instance's local disk (always true today; stated so the modal can say so). */
  readonly terminateErasesDisk: boolean;
}
