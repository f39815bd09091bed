import { RemoteGpuError } from '../errors';
import type { Logger } from '../logger';
import type { CloudProvider, SshKey } from '../providers/provider';
import { isSshKeyManager } from '../providers/provider';
import type { ProviderId } from '../providers/providerId';
import type { Clock, Sleep } from '../providers/time';
import { diskIsChosen, inputDisk, inputName, pickImage, pickKey, pickOffer, type KeyChoice, type LocalPublicKey } from './choiceSteps';
import { confirmLaunch } from './confirmStep';
import { RECOMMEND, runFilterStep } from './filterStep';
import { launchAndWait, type ProvisionOutcome, type ProvisionTiming } from './launch';
import { gatherOffers, type OfferCatalog } from './offerCatalog';
import { NO_FILTER, type Candidate, type OfferFilter } from './offerFilter';
import { BACK, type ProvisionUi, type StepAnswer, type StepFrame } from './provisionUi';
import type { SshProbe } from './sshReady';
import { t } from '../../shared/l10n';

export interface ProvisionDeps {
  readonly ui: ProvisionUi;
  /** The providers with an API key (ProviderRegistry.configured()). */
  readonly providers: () => Promise<readonly CloudProvider[]>;
  /** Public keys in ~/.ssh with their private keys beside them. */
  readonly localKeys: () => Promise<readonly LocalPublicKey[]>;
  readonly sshProbe: SshProbe;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly logger: Logger;
  readonly timing?: Partial<ProvisionTiming>;
  /**
   * "Recommend a GPU..." from the filters step: runs the advisor and resolves to its chosen offer (undefined when
   * the person cancelled it). Absent: the filters step does not offer it.
   */
  readonly recommend?: () => Promise<Candidate | undefined>;
  /** Told when an instance was launched or terminated, so the tree can refresh. */
  readonly onInstancesChanged?: (provider: ProviderId) => void;
  /**
   * Told once the provider accepted a launch, before anything waits or connects: the place to remember the key it
   * was launched with. Every later outcome where the instance exists (ready, SSH never answered, kept after a
   * cancel, a terminate that failed, a window closed mid-wait) then offers that key first. A failure here is logged;
   * it never fails the launch.
   */
  readonly onLaunched?: (launch: LaunchedInstance) => Promise<void> | void;
}

/** An instance the provider accepted, with the private key (path) it was launched with. */
export interface LaunchedInstance {
  readonly provider: ProviderId;
  readonly instanceId: string;
  readonly identityFile: string;
}

/** Everything chosen so far; a step going back keeps what later steps had, so going forward again is quick. */
export interface Draft {
  filter: OfferFilter;
  candidate?: Candidate;
  image?: string;
  diskGiB?: number;
  key?: KeyChoice;
  name?: string;
}

/** 'advised': the advisor chose the offer, so the offer step is passed over. */
type StepResult = 'next' | 'back' | 'cancel' | 'skip' | 'advised';

interface Session {
  readonly deps: ProvisionDeps;
  readonly catalog: OfferCatalog;
  readonly providers: ReadonlyMap<ProviderId, CloudProvider>;
  readonly draft: Draft;
  /** Offers a launch was refused for (capacity): shown sold out from then on. */
  readonly soldOut: Set<string>;
  readonly storedKeys: Map<ProviderId, readonly SshKey[]>;
  localKeys?: readonly LocalPublicKey[];
}

const STEP_IDS = ['filters', 'offer', 'image', 'disk', 'sshKey', 'name', 'confirm'] as const;

function settle<T>(answer: StepAnswer<T>, store: (v: T) => void): StepResult {
  if (answer === undefined) return 'cancel';
  if (answer === BACK) return 'back';
  store(answer);
  return 'next';
}

function providerOf(s: Session): CloudProvider {
  const c = s.draft.candidate;
  const p = c && s.providers.get(c.offer.provider);
  if (!p) throw new RemoteGpuError('internal', t('The chosen offer has no provider.'));
  return p;
}

async function storedKeysOf(s: Session, p: CloudProvider): Promise<readonly SshKey[]> {
  const cached = s.storedKeys.get(p.id);
  if (cached) return cached;
  const keys = isSshKeyManager(p) ? await s.deps.ui.progress(t('Reading SSH keys from {0}', p.displayName), (_r, signal) => p.listSshKeys({ signal })) : [];
  s.storedKeys.set(p.id, keys);
  return keys;
}

async function runStep(s: Session, id: (typeof STEP_IDS)[number], frame: StepFrame): Promise<StepResult> {
  const { ui } = s.deps;
  const d = s.draft;
  switch (id) {
    case 'filters': {
      const answer = await runFilterStep(ui, frame, s.catalog, d.filter, s.deps.recommend !== undefined);
      if (answer !== RECOMMEND) return settle(answer, (f) => (d.filter = f));
      const chosen = await s.deps.recommend?.();
      if (!chosen) return 'back';
      if (chosen.offer.provider !== d.candidate?.offer.provider) delete d.key;
      d.candidate = chosen;
      return 'advised';
    }
    case 'offer':
      return settle(await pickOffer(ui, frame, s.catalog, d.filter, s.soldOut), (c) => {
        if (c.offer.provider !== d.candidate?.offer.provider) delete d.key;
        d.candidate = c;
      });
    case 'image':
      return settle(await pickImage(ui, frame, providerOf(s), d.image), (v) => (v.image === undefined ? delete d.image : (d.image = v.image)));
    case 'disk':
      if (!diskIsChosen(providerOf(s).id)) return 'skip';
      return settle(await inputDisk(ui, frame, providerOf(s), d.diskGiB), (v) => (d.diskGiB = v));
    case 'sshKey': {
      const p = providerOf(s);
      s.localKeys ??= await s.deps.localKeys();
      return settle(await pickKey(ui, frame, p, s.localKeys, await storedKeysOf(s, p), d.key), (k) => (d.key = k));
    }
    case 'name':
      return settle(await inputName(ui, frame, d.candidate as Candidate, d.name, s.deps.clock.now()), (n) => (d.name = n));
    case 'confirm':
      return settle(await confirmLaunch(ui, providerOf(s), d), () => undefined);
  }
}

/**
 * The Provision flow: filters → offer → image → disk → SSH key → name → confirmation, with Back on every step after
 * the first; then one launch and the wait until SSH answers. A capacity refusal at launch brings the offer list
 * back with that offer marked sold out. Escape anywhere before the launch ends the flow with nothing created.
 */
export async function runProvisionWizard(deps: ProvisionDeps, options: { provider?: ProviderId; candidate?: Candidate } = {}): Promise<ProvisionOutcome> {
  const providers = await deps.providers();
  if (providers.length === 0) throw new RemoteGpuError('config', t('No cloud provider has an API key yet: set one with "Remote GPU: Set API Key...", then provision.'));
  const catalog = await deps.ui.progress(t('Reading offers from {0}', providers.map((p) => p.displayName).join(', ')), (_r, signal) => gatherOffers(providers, signal));
  for (const f of catalog.failures) deps.logger.warn(`offers from ${f.provider} unavailable: ${f.error.reason} ${f.error.detail ?? f.error.message}`);
  const s: Session = {
    deps,
    catalog,
    providers: new Map(providers.map((p) => [p.id, p])),
    draft: { filter: options.provider && providers.some((p) => p.id === options.provider) ? { ...NO_FILTER, provider: options.provider } : NO_FILTER },
    soldOut: new Set(),
    storedKeys: new Map(),
  };
  // An offer chosen before the wizard (the advisor's) starts at the image step; Back still reaches the offers.
  const preset = options.candidate && s.providers.has(options.candidate.offer.provider) ? options.candidate : undefined;
  if (preset) s.draft.candidate = preset;
  let i = preset ? STEP_IDS.indexOf('image') : 0;
  let direction = 1;
  for (;;) {
    const id = STEP_IDS[i] as (typeof STEP_IDS)[number];
    const result = await runStep(s, id, { title: t('Provision a GPU instance'), step: i + 1, totalSteps: STEP_IDS.length, canGoBack: i > 0 });
    if (result === 'cancel') return { kind: 'cancelled' };
    if (result === 'advised') {
      direction = 1;
      i = STEP_IDS.indexOf('image');
    } else if (result === 'skip') i += direction;
    else if (result === 'back') {
      direction = -1;
      i = Math.max(0, i - 1);
    } else if (id !== 'confirm') {
      direction = 1;
      i += 1;
    } else {
      const outcome = await launchAndWait(deps, providerOf(s), s.draft as Required<Pick<Draft, 'candidate' | 'key' | 'name'>> & Draft);
      if (outcome.kind !== 'capacity') return outcome;
      s.soldOut.add(outcome.offerId);
      s.storedKeys.delete(providerOf(s).id);
      i = STEP_IDS.indexOf('offer');
      direction = -1;
    }
  }
}
