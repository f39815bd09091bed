import type { CostBook } from '../../cost/costBook';
import { isRemoteGpuError, toRemoteGpuError } from '../../errors';
import type { Logger } from '../../logger';
import type { Instance } from '../../providers/instance';
import type { CloudProvider } from '../../providers/provider';

/** At most this many gone instances are asked about per provider and round; the rest wait for the next round. */
export const MAX_GONE_ASKED = 10;

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
 * time. Not found, or any answer without a date: the ledger ends it when it was last seen. Only instances billed
 * until now are asked, and once ended they bill 0 and are not asked again, so this is a call per termination, not
 * per round.
 */
export async function goneInstances(p: CloudProvider, book: CostBook, listedIds: ReadonlySet<string>, log: Logger, signal?: AbortSignal): Promise<GoneInstances> {
  const prefix = `${p.id}:`;
  const gone = book.allInstances().filter((k) => k.provider === p.id && k.rateAfter > 0 && k.key.startsWith(prefix) && !listedIds.has(k.key.slice(prefix.length)));
  const asked = gone.slice(0, MAX_GONE_ASKED);
  const unsettled = gone.slice(MAX_GONE_ASKED).map((k) => k.key);
  const ended: Instance[] = [];
  await Promise.all(
    asked.map(async (k) => {
      try {
        const i = await p.getInstance(k.key.slice(prefix.length), { signal });
        if (i.state === 'terminated' && i.stateSince !== undefined) ended.push(i);
      } catch (e) {
        if (isRemoteGpuError(e) && e.reason === 'notFound') return;
        unsettled.push(k.key);
        log.warn(`cost: could not ask ${p.id} how ${k.key} ended, left open until the next round: ${toRemoteGpuError(e).message}`);
      }
    }),
  );
  return { ended, unsettled };
}
