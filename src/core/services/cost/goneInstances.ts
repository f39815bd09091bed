import type { CostBook } from '../../cost/costBook';
import { toRemoteGpuError } from '../../errors';
import type { Logger } from '../../logger';
import type { Instance } from '../../providers/instance';
import type { CloudProvider } from '../../providers/provider';

/** At most this many gone instances are asked about per provider and round; the rest wait for the next round. */
export const MAX_GONE_ASKED = 10;

/** Rounds a gone instance stays open while the answer keeps failing; then it ends at its last sighting. */
export const MAX_GONE_TRIES = 5;

/** Failures that may pass (the listing just worked): worth asking again next round. Anything else will not improve. */
const TRANSIENT: ReadonlySet<string> = new Set(['unreachable', 'timeout', 'cancelled', 'connectionLost', 'rateLimited', 'unavailable', 'auth']);

export interface GoneInstances {
  /** Gone from the listing, but the provider still knows them as terminated, with the time: the ledger ends them there. */
  readonly ended: readonly Instance[];
  /** Ledger keys whose fate could not be asked this round (an error, or over MAX_GONE_ASKED): left open. */
  readonly unsettled: readonly string[];
}

/**
 * Instances the ledger still bills for this provider that its successful listing no longer shows. A listing hides
 * ended instances (EC2 filters out terminated ones, which DescribeInstances keeps for about an hour with
 * "User initiated (<time> GMT)"), so each is asked for by id: a terminated answer with a date ends it at that
 * time. Not found, any answer without a date, an error that will not pass, or one that persists for MAX_GONE_TRIES
 * rounds (`tries`, kept by the caller): the ledger ends it when it was last seen. Only instances billed
 * until now are asked, and once ended they bill 0 and are not asked again, so this is a call per termination, not
 * per round.
 */
export async function goneInstances(p: CloudProvider, book: CostBook, listedIds: ReadonlySet<string>, tries: Map<string, number>, log: Logger, signal?: AbortSignal): Promise<GoneInstances> {
  const prefix = `${p.id}:`;
  const gone = book.allInstances().filter((k) => k.provider === p.id && k.rateAfter > 0 && k.key.startsWith(prefix) && !listedIds.has(k.key.slice(prefix.length)));
  const asked = gone.slice(0, MAX_GONE_ASKED);
  const unsettled = gone.slice(MAX_GONE_ASKED).map((k) => k.key);
  const ended: Instance[] = [];
  await Promise.all(
    asked.map(async (k) => {
      try {
        const i = await p.getInstance(k.key.slice(prefix.length), { signal });
        tries.delete(k.key);
        if (i.state === 'terminated' && i.stateSince !== undefined) ended.push(i);
      } catch (e) {
        const err = toRemoteGpuError(e);
        const n = (tries.get(k.key) ?? 0) + 1;
        if (err.reason === 'notFound' || !TRANSIENT.has(err.reason) || n >= MAX_GONE_TRIES) {
          tries.delete(k.key);
          if (err.reason !== 'notFound') log.warn(`cost: ${p.id} did not say how ${k.key} ended (${err.reason}); billed until it was last seen: ${err.message}`);
          return;
        }
        tries.set(k.key, n);
        unsettled.push(k.key);
        log.warn(`cost: could not ask ${p.id} how ${k.key} ended (try ${n} of ${MAX_GONE_TRIES}), left open until the next round: ${err.message}`);
      }
    }),
  );
  return { ended, unsettled };
}
