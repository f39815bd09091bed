import type { Offer } from '../providers/offer';
import { formatPerHour } from './money';
import type { OfferCatalog } from './offerCatalog';
import type { Candidate } from './offerFilter';
import type { PickItem } from './provisionUi';

/** "2x H100 SXM 80 GB". */
export function shapeLabel(o: Offer): string {
  return `${o.gpuCount}x ${o.gpuModel}${o.vramGiB !== undefined ? ` ${o.vramGiB} GB` : ''}`;
}

export function regionLabel(o: Offer): string {
  if (o.region === undefined) return 'no region with capacity';
  return o.regionName && o.regionName !== o.region ? `${o.regionName} (${o.region})` : o.region;
}

/** One row of the offer list: shape and price, then provider and region, then availability and whether it stops. */
export function offerRow(c: Candidate, names: OfferCatalog['names']): PickItem<Candidate> {
  const o = c.offer;
  const facts = [
    o.available ? 'available now' : 'sold out',
    o.canStop ? 'can stop' : 'cannot stop (terminate only)',
    ...(o.spot ? ['spot: may be interrupted'] : o.spotPriceMicrosPerHour !== undefined ? [`spot ${formatPerHour(o.spotPriceMicrosPerHour)} elsewhere`] : []),
    ...(o.vcpus !== undefined ? [`${o.vcpus} vCPU`] : []),
    ...(o.memoryGiB !== undefined ? [`${o.memoryGiB} GB RAM`] : []),
  ];
  return {
    label: `${o.available ? '' : '$(circle-slash) '}${shapeLabel(o)} · ${formatPerHour(o.priceMicrosPerHour)}`,
    description: `${names.get(o.provider) ?? o.provider} · ${regionLabel(o)}`,
    detail: facts.join(' · '),
    value: c,
  };
}
