import type { ProviderId } from '../providers/providerId';
import { formatPerHour } from '../../shared/localeFormat';
import type { OfferCatalog } from './offerCatalog';
import { distinctValues, launchableCounts, selectOffers, type Market, type OfferFilter } from './offerFilter';
import { BACK, type PickItem, type ProvisionUi, type StepAnswer, type StepFrame } from './provisionUi';
import { dollarsInputToMicros } from './validation';
import { t } from '../../shared/l10n';

type FilterKey = 'provider' | 'gpuModel' | 'minVramGiB' | 'gpuCount' | 'maxPrice' | 'region' | 'market';
type MenuValue = 'show' | 'note' | 'recommend' | FilterKey;

/** Returned by the filters step when the person asked the advisor to choose ("Recommend a GPU..."). */
export const RECOMMEND: unique symbol = Symbol('recommend');

const MARKET_LABELS: Record<Market, () => string> = {
  any: () => t('on-demand and spot'),
  onDemand: () => t('on-demand only'),
  spot: () => t('spot (interruptible) only'),
};
const VRAM_STEPS = [8, 16, 24, 40, 48, 80, 141];

function describe(f: OfferFilter, names: OfferCatalog['names']): Record<FilterKey, string> {
  return {
    provider: f.provider ? (names.get(f.provider) ?? f.provider) : t('all'),
    gpuModel: f.gpuModel ?? t('any'),
    minVramGiB: f.minVramGiB !== undefined ? `${f.minVramGiB} GB` : t('any'),
    gpuCount: f.gpuCount !== undefined ? String(f.gpuCount) : t('any'),
    maxPrice: f.maxMicrosPerHour !== undefined ? formatPerHour(f.maxMicrosPerHour) : t('any'),
    region: f.region ?? t('any'),
    market: MARKET_LABELS[f.market](),
  };
}

/** The filter menu: each line shows a filter's value and opens its picker; the first line goes on to the offers. */
export function filterMenuItems(catalog: OfferCatalog, f: OfferFilter, withAdvisor = false): Array<PickItem<MenuValue>> {
  const d = describe(f, catalog.names);
  const count = selectOffers(catalog.offers, f).length;
  const items: Array<PickItem<MenuValue>> = [
    { label: `$(list-filter) ${count === 1 ? t('Show 1 offer') : t('Show {0} offers', count)}`, description: t('cheapest first'), value: 'show' },
  ];
  if (withAdvisor) items.push({ label: `$(lightbulb) ${t('Recommend a GPU for my model...')}`, description: t('from its size, the work and the precision'), value: 'recommend' });
  for (const failure of catalog.failures) {
    items.push({ label: `$(warning) ${t('{0}: offers unavailable', failure.providerName)}`, description: failure.error.message, value: 'note' });
  }
  if (catalog.names.size > 1) items.push({ label: t('Provider'), description: d.provider, value: 'provider' });
  items.push(
    { label: t('GPU model'), description: d.gpuModel, value: 'gpuModel' },
    { label: t('Minimum VRAM per GPU'), description: d.minVramGiB, value: 'minVramGiB' },
    { label: t('GPU count'), description: d.gpuCount, value: 'gpuCount' },
    { label: t('Maximum price per hour'), description: d.maxPrice, value: 'maxPrice' },
    { label: t('Region'), description: d.region, value: 'region' },
    { label: t('Spot or on-demand'), description: d.market, value: 'market' },
  );
  return items;
}

/** The filters step: loops on the menu until "Show offers"; BACK from a filter's picker returns to the menu. */
export async function runFilterStep(ui: ProvisionUi, frame: StepFrame, catalog: OfferCatalog, start: OfferFilter, withAdvisor = false): Promise<StepAnswer<OfferFilter | typeof RECOMMEND>> {
  let filter = start;
  for (;;) {
    const choice = await ui.pick({ ...frame, id: 'filters', placeholder: t('Narrow the offers, or show them'), items: filterMenuItems(catalog, filter, withAdvisor) });
    if (choice === undefined || choice === BACK) return choice;
    if (choice === 'show') return filter;
    if (choice === 'recommend') return RECOMMEND;
    if (choice === 'note') continue;
    const next = await editFilter(ui, { ...frame, canGoBack: true }, catalog, filter, choice);
    if (next === undefined) return undefined;
    if (next !== BACK) filter = next;
  }
}

function anyItem<T>(value: T): PickItem<T> {
  return { label: t('Any'), value };
}

async function editFilter(ui: ProvisionUi, frame: StepFrame, catalog: OfferCatalog, f: OfferFilter, key: FilterKey): Promise<StepAnswer<OfferFilter>> {
  const offers = catalog.offers;
  const without = <K extends keyof OfferFilter>(k: K): OfferFilter => {
    const copy: Record<string, unknown> = { ...f };
    delete copy[k];
    return copy as unknown as OfferFilter;
  };
  const pick = async <T>(id: string, placeholder: string, items: Array<PickItem<T>>): Promise<StepAnswer<T>> => ui.pick({ ...frame, id: `filter.${id}`, placeholder, items });
  const offerCount = (n: number): string => (n === 1 ? t('1 offer') : t('{0} offers', n));
  switch (key) {
    case 'provider': {
      const items = [anyItem<ProviderId | null>(null), ...[...catalog.names].map(([id, name]) => ({ label: name, value: id as ProviderId | null }))];
      const v = await pick('provider', t('Which provider?'), items);
      return v === undefined || v === BACK ? v : v === null ? without('provider') : { ...f, provider: v };
    }
    case 'gpuModel': {
      const items = [anyItem<string | null>(null), ...distinctValues(offers, (o) => o.gpuModel).map(([m, n]) => ({ label: m, description: offerCount(n), value: m as string | null }))];
      const v = await pick('gpuModel', t('Which GPU model?'), items);
      return v === undefined || v === BACK ? v : v === null ? without('gpuModel') : { ...f, gpuModel: v };
    }
    case 'minVramGiB': {
      const items = [anyItem<number>(0), ...VRAM_STEPS.map((g) => ({ label: t('{0} GB or more', g), value: g }))];
      const v = await pick('minVramGiB', t('How much memory per GPU at least?'), items);
      return v === undefined || v === BACK ? v : v === 0 ? without('minVramGiB') : { ...f, minVramGiB: v };
    }
    case 'gpuCount': {
      const counts = [...new Set(offers.flatMap(launchableCounts))].sort((a, b) => a - b);
      const v = await pick('gpuCount', t('How many GPUs?'), [anyItem<number>(0), ...counts.map((c) => ({ label: c === 1 ? t('1 GPU') : t('{0} GPUs', c), value: c }))]);
      return v === undefined || v === BACK ? v : v === 0 ? without('gpuCount') : { ...f, gpuCount: v };
    }
    case 'maxPrice': {
      const current = f.maxMicrosPerHour !== undefined ? (f.maxMicrosPerHour / 1_000_000).toFixed(2) : '';
      const v = await ui.input({ ...frame, id: 'filter.maxPrice', prompt: t('Maximum price in US dollars per hour (empty for any)'), value: current, placeholder: '2.50', validate: (s) => (s.trim() === '' || dollarsInputToMicros(s) !== undefined ? undefined : t('Enter an amount such as 2.50')) });
      if (v === undefined || v === BACK) return v;
      const micros = dollarsInputToMicros(v);
      return micros === undefined ? without('maxMicrosPerHour') : { ...f, maxMicrosPerHour: micros };
    }
    case 'region': {
      const items = [anyItem<string | null>(null), ...distinctValues(offers, (o) => o.region).map(([r, n]) => ({ label: r, description: offerCount(n), value: r as string | null }))];
      const v = await pick('region', t('Which region or data centre?'), items);
      return v === undefined || v === BACK ? v : v === null ? without('region') : { ...f, region: v };
    }
    case 'market': {
      const items = (Object.keys(MARKET_LABELS) as Market[]).map((m) => ({ label: MARKET_LABELS[m](), value: m }));
      const v = await pick('market', t('Spot or on-demand?'), items);
      return v === undefined || v === BACK ? v : { ...f, market: v };
    }
  }
}
