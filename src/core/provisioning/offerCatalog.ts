import { toRemoteGpuError, type RemoteGpuError } from '../errors';
import type { Offer } from '../providers/offer';
import type { CloudProvider } from '../providers/provider';
import type { ProviderId } from '../providers/providerId';

/** A provider whose offers could not be read: shown as a note in the list, never a failed flow. */
export interface OfferFailure {
  readonly provider: ProviderId;
  readonly providerName: string;
  readonly error: RemoteGpuError;
}

export interface OfferCatalog {
  readonly offers: readonly Offer[];
  readonly failures: readonly OfferFailure[];
  /** Display names by provider id, for rows and notes. */
  readonly names: ReadonlyMap<ProviderId, string>;
}

/**
 * Asks every configured provider for its offers at once. One slow or broken provider must not hide the others'
 * prices, so each failure becomes a note; only a cancellation stops the whole gathering.
 */
export async function gatherOffers(providers: readonly CloudProvider[], signal?: AbortSignal): Promise<OfferCatalog> {
  const settled = await Promise.allSettled(providers.map((p) => p.listOffers(signal ? { signal } : {})));
  const offers: Offer[] = [];
  const failures: OfferFailure[] = [];
  settled.forEach((result, i) => {
    const provider = providers[i] as CloudProvider;
    if (result.status === 'fulfilled') offers.push(...result.value);
    else {
      const error = toRemoteGpuError(result.reason);
      if (error.reason === 'cancelled' || signal?.aborted) throw error;
      failures.push({ provider: provider.id, providerName: provider.displayName, error });
    }
  });
  return { offers, failures, names: new Map(providers.map((p) => [p.id, p.displayName])) };
}
