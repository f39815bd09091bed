import type { CloudProvider } from '../providers/provider';
import { perDay } from '../providers/money';
import { formatPerHour, formatUsd } from '../../shared/localeFormat';
import type { Candidate } from './offerFilter';
import { regionLabel, shapeLabel } from './offerRows';
import type { ProvisionUi, StepAnswer } from './provisionUi';
import type { KeyChoice } from './choiceSteps';
import { t } from '../../shared/l10n';

export interface ConfirmDraft {
  readonly candidate?: Candidate;
  readonly image?: string;
  readonly diskGiB?: number;
  readonly key?: KeyChoice;
  readonly name?: string;
}

/** What keeps billing, in the provider's own terms: the honest words the confirmation owes the person. */
export function billingNote(p: CloudProvider, spot: boolean): string {
  const c = p.capabilities;
  if (spot) return t('Spot: the provider may interrupt it at any time, and it cannot be stopped, only terminated.');
  if (!c.canStop) return t('{0} has no stop: it bills until you terminate it, and terminating erases its disk.', p.displayName);
  const disk = c.stopKeepsBilling === 'disk' ? [t('Stopped, it still bills its disk.')] : c.stopKeepsBilling === 'all' ? [t('Stopped, it still bills in full.')] : [];
  const gpu = c.gpuMayNotReturnOnStart ? [t('After a stop the GPU may not be free when you start it again.')] : [];
  return [t('It bills until you stop or terminate it.'), ...disk, ...gpu].join(' ');
}

/** The confirmation: the price per hour and per day, and everything that was chosen, before anything is sent. */
export function confirmText(p: CloudProvider, d: ConfirmDraft): { message: string; detail: string } {
  const o = (d.candidate as Candidate).offer;
  const message = t('Provision {0} on {1} for {2} ({3} a day)?', shapeLabel(o), p.displayName, formatPerHour(o.priceMicrosPerHour), formatUsd(perDay(o.priceMicrosPerHour)));
  const lines = [
    t('Name: {0}', d.name ?? ''),
    t('Region: {0}', regionLabel(o)),
    t('Type: {0}', o.instanceType),
    t('Image: {0}', d.image ?? t('{0} default', p.displayName)),
    ...(d.diskGiB !== undefined ? [t('Disk: {0} GB', d.diskGiB)] : []),
    d.key && !d.key.stored ? t('SSH key: {0} (will be added to the account)', d.key.local.publicKeyPath) : t('SSH key: {0}', d.key ? d.key.local.publicKeyPath : ''),
    '',
    billingNote(p, o.spot === true),
  ];
  return { message, detail: lines.join('\n') };
}

export async function confirmLaunch(ui: ProvisionUi, p: CloudProvider, d: ConfirmDraft): Promise<StepAnswer<'confirm'>> {
  return ui.confirm({ ...confirmText(p, d), confirmLabel: t('Provision') });
}
