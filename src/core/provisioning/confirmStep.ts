import type { CloudProvider } from '../providers/provider';
import { formatPerHour, formatUsd, perDay } from './money';
import type { Candidate } from './offerFilter';
import { regionLabel, shapeLabel } from './offerRows';
import type { ProvisionUi, StepAnswer } from './provisionUi';
import type { KeyChoice } from './choiceSteps';

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
  if (spot) return 'Spot: the provider may interrupt it at any time, and it cannot be stopped, only terminated.';
  if (!c.canStop) return `${p.displayName} has no stop: it bills until you terminate it, and terminating erases its disk.`;
  const disk = c.stopKeepsBilling === 'disk' ? ' Stopped, it still bills its disk.' : c.stopKeepsBilling === 'all' ? ' Stopped, it still bills in full.' : '';
  const gpu = c.gpuMayNotReturnOnStart ? ' After a stop the GPU may not be free when you start it again.' : '';
  return `It bills until you stop or terminate it.${disk}${gpu}`;
}

/** The confirmation: the price per hour and per day, and everything that was chosen, before anything is sent. */
export function confirmText(p: CloudProvider, d: ConfirmDraft): { message: string; detail: string } {
  const o = (d.candidate as Candidate).offer;
  const message = `Provision ${shapeLabel(o)} on ${p.displayName} for ${formatPerHour(o.priceMicrosPerHour)} (${formatUsd(perDay(o.priceMicrosPerHour))} a day)?`;
  const lines = [
    `Name: ${d.name ?? ''}`,
    `Region: ${regionLabel(o)}`,
    `Type: ${o.instanceType}`,
    `Image: ${d.image ?? `${p.displayName} default`}`,
    ...(d.diskGiB !== undefined ? [`Disk: ${d.diskGiB} GB`] : []),
    `SSH key: ${d.key ? d.key.local.publicKeyPath : ''}${d.key && !d.key.stored ? ' (will be added to the account)' : ''}`,
    '',
    billingNote(p, o.spot === true),
  ];
  return { message, detail: lines.join('\n') };
}

export async function confirmLaunch(ui: ProvisionUi, p: CloudProvider, d: ConfirmDraft): Promise<StepAnswer<'confirm'>> {
  return ui.confirm({ ...confirmText(p, d), confirmLabel: 'Provision' });
}
