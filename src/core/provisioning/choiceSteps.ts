import { RemoteGpuError } from '../errors';
import type { CloudProvider, SshKey } from '../providers/provider';
import { isSshKeyManager } from '../providers/provider';
import { keyComment, sameKeyMaterial } from '../providers/sshKeys';
import type { OfferCatalog } from './offerCatalog';
import { selectOffers, type Candidate, type OfferFilter } from './offerFilter';
import { offerRow } from './offerRows';
import { BACK, type PickItem, type ProvisionUi, type StepAnswer, type StepFrame } from './provisionUi';
import { defaultInstanceName, validateDiskGiB, validateInstanceName } from './validation';
import { t } from '../../shared/l10n';

/** A public key from ~/.ssh and the private key beside it (what the readiness probe authenticates with). */
export interface LocalPublicKey {
  readonly publicKeyPath: string;
  readonly privateKeyPath: string;
  /** "ssh-ed25519 AAAA... comment" */
  readonly publicKey: string;
}

/** The key the instance will trust: a local key, and the provider's copy of it when the provider has one already. */
export interface KeyChoice {
  readonly local: LocalPublicKey;
  readonly stored?: SshKey;
}

/** Disk sizes where the provider lets the launch choose one; Lambda's local disk comes with the type. */
const DEFAULT_DISK_GIB: Partial<Record<CloudProvider['id'], number>> = { runpod: 50, vast: 32, ec2: 100 };

export function diskIsChosen(provider: CloudProvider['id']): boolean {
  return DEFAULT_DISK_GIB[provider] !== undefined;
}

type Note = { readonly note: true };
const NOTE: Note = { note: true };

/** The offer list, cheapest first; failed providers appear as notes at the top. Picking a sold-out offer says so. */
export async function pickOffer(ui: ProvisionUi, frame: StepFrame, catalog: OfferCatalog, filter: OfferFilter, soldOut: ReadonlySet<string>): Promise<StepAnswer<Candidate>> {
  const offers = catalog.offers.map((o) => (soldOut.has(o.id) ? { ...o, available: false } : o));
  const candidates = selectOffers(offers, filter);
  const notes: Array<PickItem<Candidate | Note>> = catalog.failures.map((f) => ({ label: `$(warning) ${t('{0}: offers unavailable', f.providerName)}`, description: f.error.message, value: NOTE }));
  if (candidates.length === 0) notes.push({ label: `$(info) ${t('No offer matches these filters')}`, description: t('go back to change them'), value: NOTE });
  for (;;) {
    const items = [...notes, ...candidates.map((c) => offerRow(c, catalog.names))];
    const v = await ui.pick<Candidate | Note>({ ...frame, id: 'offer', placeholder: t('Pick an offer (cheapest first)'), items });
    if (v === undefined || v === BACK) return v;
    if ('note' in v) {
      if (candidates.length === 0) return BACK;
      continue;
    }
    if (v.offer.available) return v;
    await ui.warn(t('{0} on {1} is sold out right now. Pick an available offer.', v.offer.gpuModel, catalog.names.get(v.offer.provider) ?? v.offer.provider), []);
  }
}

/** What the image step calls the image, in whole sentences per kind (an AMI id, a Lambda image family, a container image). */
function imageWords(provider: CloudProvider['id']): { another: string; which: string; prompt: string; invalid: string } {
  if (provider === 'ec2') return { another: t('Another AMI id...'), which: t('Which AMI id?'), prompt: t('The AMI id to launch'), invalid: t('Enter one AMI id, without spaces.') };
  if (provider === 'lambda') {
    return { another: t('Another image family...'), which: t('Which image family?'), prompt: t('The image family to launch'), invalid: t('Enter one image family, without spaces.') };
  }
  return { another: t('Another container image...'), which: t('Which container image?'), prompt: t('The container image to launch'), invalid: t('Enter one container image, without spaces.') };
}

/** The provider's default image, or one the person types (a container image, a Lambda image family, an AMI id). */
export async function pickImage(ui: ProvisionUi, frame: StepFrame, provider: CloudProvider, current: string | undefined): Promise<StepAnswer<{ image?: string }>> {
  const words = imageWords(provider.id);
  for (;;) {
    const items: Array<PickItem<'default' | 'custom' | 'current'>> = [
      {
        label: t('{0} default', provider.displayName),
        description: provider.id === 'ec2' ? t('the AMI from the remoteGpu.ec2 settings') : t('recommended: starts sshd with your key'),
        value: 'default',
      },
      ...(current ? [{ label: current, description: t('typed before'), value: 'current' as const }] : []),
      { label: words.another, value: 'custom' },
    ];
    const v = await ui.pick({ ...frame, id: 'image', placeholder: words.which, items });
    if (v === undefined || v === BACK) return v;
    if (v === 'default') return {};
    if (v === 'current' && current) return { image: current };
    const typed = await ui.input({ ...frame, id: 'image.custom', prompt: words.prompt, value: current ?? '', validate: (s) => (s.trim() && !/\s/.test(s.trim()) ? undefined : words.invalid) });
    if (typed === undefined) return undefined;
    if (typed !== BACK) return { image: typed.trim() };
  }
}

export async function inputDisk(ui: ProvisionUi, frame: StepFrame, provider: CloudProvider, current: number | undefined): Promise<StepAnswer<number>> {
  const value = String(current ?? DEFAULT_DISK_GIB[provider.id] ?? 50);
  const v = await ui.input({ ...frame, id: 'disk', prompt: provider.id === 'runpod' ? t('Volume size in GB (/workspace, kept when stopped)') : t('Disk size in GB'), value, validate: validateDiskGiB });
  return v === undefined || v === BACK ? v : Number(v.trim());
}

/**
 * Local public keys, each marked with whether the provider has it already. A key the provider lacks is uploaded
 * after the confirmation, so backing out before it leaves the account untouched.
 */
export async function pickKey(ui: ProvisionUi, frame: StepFrame, provider: CloudProvider, local: readonly LocalPublicKey[], stored: readonly SshKey[], current: KeyChoice | undefined): Promise<StepAnswer<KeyChoice>> {
  if (local.length === 0) {
    throw new RemoteGpuError('config', t('No SSH public key in ~/.ssh: create one with `ssh-keygen -t ed25519`, then provision again.'));
  }
  const canUpload = isSshKeyManager(provider);
  const items = local.map((k): PickItem<KeyChoice> => {
    const match = stored.find((s) => sameKeyMaterial(s.publicKey, k.publicKey));
    const comment = keyComment(k.publicKey);
    return {
      label: k.publicKeyPath.split(/[\\/]/).pop() ?? k.publicKeyPath,
      description: match ? t('on {0} as "{1}"', provider.displayName, match.name) : canUpload ? t('will be added to {0}', provider.displayName) : t('used to connect'),
      ...(comment ? { detail: comment } : {}),
      value: match ? { local: k, stored: match } : { local: k },
    };
  });
  // The key chosen last time (or one the provider already has) goes first, so Enter keeps it.
  const preferred = items.findIndex((i) => i.value.local.publicKeyPath === current?.local.publicKeyPath || (current === undefined && i.value.stored !== undefined));
  if (preferred > 0) items.unshift(...items.splice(preferred, 1));
  return ui.pick({ ...frame, id: 'sshKey', placeholder: t('Which SSH key should the instance trust?'), items });
}

export async function inputName(ui: ProvisionUi, frame: StepFrame, candidate: Candidate, current: string | undefined, now: number): Promise<StepAnswer<string>> {
  const v = await ui.input({ ...frame, id: 'name', prompt: t('Name of the new instance'), value: current ?? defaultInstanceName(candidate.offer.gpuModel, now), validate: (s) => validateInstanceName(s.trim()) });
  return v === undefined || v === BACK ? v : v.trim();
}
