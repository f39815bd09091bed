import type { Offer } from '../providers/offer';
import { formatPerHour } from '../../shared/localeFormat';
import type { OfferCatalog } from './offerCatalog';
import type { Candidate } from './offerFilter';
import type { PickItem } from './provisionUi';
import { t } from '../../shared/l10n';

/** "2x H100 SXM 80 GB". */
export function shapeLabel(o: Offer): string {
  return `${o.gpuCount}x ${o.gpuModel}${o.vramGiB !== undefined ? ` ${o.vramGiB} GB` : ''}`;
}

export function regionLabel(o: Offer): string {
  if (o.region === undefined) return t('no region with capacity');
  return o.regionName && o.regionName !== o.region ? `${o.regionName} (${o.region})` : o.region;
}

/** One row of the offer list: shape and price, then provider and region, then availability and whether it stops. */
export function offerRow(c: Candidate, names: OfferCatalog['names']): PickItem<Candidate> {
  const o = c.offer;
  const facts = [
    o.available ? t('available now') : t('sold out'),
    o.canStop ? t('can stop') : t('cannot stop (terminate only)'),
    ...(o.spot ? [t('spot: may be interrupted')] : o.spotPriceMicrosPerHour !== undefined ? [t('spot {0} elsewhere', formatPerHour(o.spotPriceMicrosPerHour))] : []),
    ...(o.vcpus !== undefined ? [`${o.vcpus} vCPU`] : []),
    ...(o.memoryGiB !== undefined ? [t('{0} GB RAM', o.memoryGiB)] : []),
  ];
  return {
    label: `${o.available ? '' : '$(circle-slash) '}${shapeLabel(o)} · ${formatPerHour(o.priceMicrosPerHour)}`,
    description: `${names.get(o.provider) ?? o.provider} · ${regionLabel(o)}`,
    detail: facts.join(' · '),
    value: c,
  };
}
