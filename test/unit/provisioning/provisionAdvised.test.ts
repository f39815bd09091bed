import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../../src/core/provisioning/offerFilter';
import type { PickStep } from '../../../src/core/provisioning/provisionUi';
import { runProvisionWizard } from '../../../src/core/provisioning/provisionWizard';
import { accept, back, choose, deps, escape, FakeProvider, offer, press, ScriptedUi } from './wizardKit';

function lambdaWith(): FakeProvider {
  return new FakeProvider('lambda', [
    offer('lambda', 'gpu_1x_a10/us-east-1', { gpuModel: 'A10', priceMicrosPerHour: 750_000 }),
    offer('lambda', 'gpu_1x_h100/us-west-1', { gpuModel: 'H100', vramGiB: 80, priceMicrosPerHour: 2_490_000, region: 'us-west-1' }),
  ], [{ id: 'k1', name: 'laptop', publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK laptop' }]);
}

describe('the Provision wizard with the GPU advisor', () => {
  it('"Recommend a GPU..." in the filters step: the advisor\'s offer skips the offer list; Back from the image step reaches it', async () => {
    const lambda = lambdaWith();
    const h100 = lambda.offers[1];
    let asked = 0;
    const ui = new ScriptedUi([
      ['filters', choose(/^Recommend a GPU/)],
      ['image', back],
      ['offer', (s: never) => {
        expect((s as PickStep<Candidate>).items.map((i) => i.value.offer.id)).toContain('gpu_1x_h100/us-west-1');
        return (s as PickStep<Candidate>).items.find((i) => i.value.offer.id === 'gpu_1x_h100/us-west-1')?.value;
      }],
      ['image', choose(/default/)],
      ['sshKey', choose(/id_ed25519\.pub/)],
      ['name', accept],
      ['confirm', press('confirm')],
      ['inform', press(undefined)],
    ]);
    const d = deps(ui, [lambda]);
    const outcome = await runProvisionWizard({
      ...d,
      recommend: async () => {
        asked += 1;
        return h100 ? { offer: h100 } : undefined;
      },
    });
    expect(asked).toBe(1);
    expect(ui.remaining).toEqual([]);
    expect(outcome.kind).toBe('ready');
    expect(lambda.provisions.map((p) => p.offerId)).toEqual(['gpu_1x_h100/us-west-1']);
  });

  it('an advisor cancelled from the filters step returns to the filters; without an advisor the entry is not offered', async () => {
    const lambda = lambdaWith();
    const ui = new ScriptedUi([
      ['filters', choose(/^Recommend a GPU/)],
      ['filters', escape],
    ]);
    expect(await runProvisionWizard({ ...deps(ui, [lambda]), recommend: async () => undefined })).toEqual({ kind: 'cancelled' });
    const plain = new ScriptedUi([['filters', (s: never) => (s as PickStep<unknown>).items.map((i) => i.label)]]);
    plain.pick = async (step) => {
      expect(step.items.some((i) => i.label.includes('Recommend'))).toBe(false);
      return undefined;
    };
    expect(await runProvisionWizard(deps(plain, [lambda]))).toEqual({ kind: 'cancelled' });
  });

  it('a preset offer (from "Recommend a GPU..." in the palette) starts at the image step', async () => {
    const lambda = lambdaWith();
    const a10 = lambda.offers[0];
    const ui = new ScriptedUi([['image', escape]]);
    expect(await runProvisionWizard(deps(ui, [lambda]), a10 ? { candidate: { offer: a10 } } : {})).toEqual({ kind: 'cancelled' });
    expect(ui.seen.map((s) => s.id)).toEqual(['image']);
  });
});
