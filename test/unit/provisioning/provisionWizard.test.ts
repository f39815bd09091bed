import { describe, expect, it } from 'vitest';
import { RemoteGpuError } from '../../../src/core/errors';
import type { Candidate } from '../../../src/core/provisioning/offerFilter';
import type { PickStep } from '../../../src/core/provisioning/provisionUi';
import { runProvisionWizard } from '../../../src/core/provisioning/provisionWizard';
import { accept, back, choose, deps, escape, FakeProvider, KEY, offer, press, ScriptedProbe, ScriptedUi, type } from './wizardKit';

function market(): { lambda: FakeProvider; runpod: FakeProvider } {
  const lambda = new FakeProvider('lambda', [
    offer('lambda', 'gpu_1x_h100/us-west-1', { gpuModel: 'H100', vramGiB: 80, priceMicrosPerHour: 2_490_000, region: 'us-west-1' }),
    offer('lambda', 'gpu_1x_a10/us-east-1', { gpuModel: 'A10', priceMicrosPerHour: 750_000 }),
  ]);
  const runpod = new FakeProvider('runpod', [
    offer('runpod', 'SECURE/h100/EU-RO-1', { gpuModel: 'H100', vramGiB: 80, priceMicrosPerHour: 2_690_000, region: 'EU-RO-1', maxGpuCount: 8 }),
    offer('runpod', 'SECURE/h100', { gpuModel: 'H100', vramGiB: 80, priceMicrosPerHour: 1_990_000, region: undefined, available: false }),
    offer('runpod', 'COMMUNITY/h100/US-TX-3', { gpuModel: 'H100', vramGiB: 80, priceMicrosPerHour: 2_390_000, region: 'US-TX-3' }),
  ]);
  return { lambda, runpod };
}

const offerLabels = (ui: ScriptedUi, nth = 0): string[] =>
  (ui.seen.filter((s) => s.id === 'offer')[nth]?.step as PickStep<unknown>).items.map((i) => `${i.label} | ${i.description ?? ''}`);

describe('the Provision wizard, driven through its UI port', () => {
  it('filters, lists offers cheapest first, uploads the missing key, launches once and waits until SSH answers', async () => {
    const { lambda, runpod } = market();
    const probe = new ScriptedProbe(2);
    const ui = new ScriptedUi([
      ['filters', choose(/^GPU model/)],
      ['filter.gpuModel', choose(/^H100$/)],
      ['filters', choose(/^GPU count/)],
      ['filter.gpuCount', choose(/^2 GPUs$/)],
      ['filters', choose(/^Show 1 offer$/)],
      ['offer', choose(/H100/)],
      ['image', choose(/default/)],
      ['disk', type('80')],
      ['sshKey', choose(/id_ed25519\.pub/)],
      ['name', accept],
      ['confirm', press('confirm')],
      ['inform', press('Connect')],
    ]);
    const d = deps(ui, [lambda, runpod], probe);
    const outcome = await runProvisionWizard(d);

    expect(ui.remaining).toEqual([]);
    // Two GPUs: only RunPod's selectable-count H100 in stock qualifies, scaled to 2 x $2.69.
    expect(offerLabels(ui)).toEqual(['2x H100 80 GB · $5.38/h | RunPod · EU-RO-1']);
    const confirm = ui.seen.find((s) => s.id === 'confirm')?.message ?? '';
    expect(confirm).toContain('Provision 2x H100 80 GB on RunPod for $5.38/h ($129.12 a day)?');
    expect(confirm).toContain('Stopped, it still bills its disk.');
    expect(confirm).toContain('(will be added to the account)');
    expect(runpod.uploads).toEqual([{ name: 'remote-gpu-laptop', publicKey: KEY.publicKey }]);
    expect(runpod.provisions).toEqual([{ offerId: 'SECURE/h100/EU-RO-1', name: 'rgpu-h100-1123-1109', gpuCount: 2, sshKeyName: 'remote-gpu-laptop', diskGiB: 80 }]);
    expect(lambda.provisions).toEqual([]);
    expect(ui.progressLog.filter((l) => l.startsWith('  '))).toEqual([
      '  adding SSH key /home/u/.ssh/id_ed25519.pub to RunPod',
      '  launching',
      '  provisioning (PROVISIONING)',
      '  booting (BOOTING)',
      '  running (RUNNING)',
      '  waiting for SSH on root@10.0.0.7:2222',
    ]);
    expect(probe.targets.map((t) => [t.endpoint.port, t.identityFile])).toEqual(Array(3).fill([2222, KEY.privateKeyPath]));
    expect(outcome).toMatchObject({ kind: 'ready', action: 'connect', identityFile: KEY.privateKeyPath, instance: { id: 'i-1', state: 'running' } });
    expect(d.changed).toEqual(['runpod', 'runpod']);
  });

  it('goes back through every step, skips the disk step Lambda has no choice of, and an Escape launches nothing', async () => {
    const { lambda, runpod } = market();
    lambda.keys.push({ id: 'k0', name: 'laptop-key', publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK other-comment' });
    const script: Array<[string, (s: never) => unknown]> = [
      ['filters', choose(/^Show 5 offers$/)],
      ['offer', back],
      ['filters', choose(/^Show/)],
      ['offer', choose(/A10/)],
      ['image', back],
      ['offer', choose(/A10/)],
      ['image', choose(/default/)],
      ['sshKey', back],
      ['image', choose(/default/)],
      ['sshKey', choose(/id_ed25519/)],
      ['name', type('my-box')],
      ['confirm', back],
      ['name', escape],
    ];
    const ui2 = new ScriptedUi(script);
    const outcome = await runProvisionWizard(deps(ui2, [lambda, runpod]));
    expect(outcome).toEqual({ kind: 'cancelled' });
    expect(ui2.remaining).toEqual([]);
    expect(ui2.seen.map((s) => s.id)).not.toContain('disk');
    // The key Lambda already holds (same material, other comment) is recognised, not uploaded again.
    const keyItems = (ui2.seen.filter((s) => s.id === 'sshKey')[1]?.step as PickStep<unknown>).items;
    expect(keyItems.map((i) => i.description)).toEqual(['on Lambda Cloud as "laptop-key"']);
    // Back on the confirmation keeps the typed name.
    expect((ui2.seen.filter((s) => s.id === 'name')[1]?.step as { value: string }).value).toBe('my-box');
    expect(lambda.provisions).toEqual([]);
    expect(lambda.uploads).toEqual([]);
    expect(runpod.uploads).toEqual([]);
  });

  it('lists every offer cheapest first, sold-out ones last, and a failing provider as a note, not a failure', async () => {
    const { lambda, runpod } = market();
    lambda.offersError = new RemoteGpuError('unavailable', 'Lambda Cloud is not answering (503).');
    const ui = new ScriptedUi([
      ['filters', choose(/^Show 3 offers$/)],
      ['offer', choose(/\$1\.99/)], // the sold-out one: refused with a word, and the list comes back
      ['warn', press(undefined)],
      ['offer', choose(/\$2\.39/)],
      ['image', choose(/default/)],
      ['disk', accept],
      ['sshKey', choose(/id_ed25519/)],
      ['name', accept],
      ['confirm', press('confirm')],
      ['inform', press(undefined)],
    ]);
    const outcome = await runProvisionWizard(deps(ui, [lambda, runpod]));
    const menu = (ui.seen[0]?.step as PickStep<unknown>).items.map((i) => `${i.label} | ${i.description ?? ''}`);
    expect(menu).toContain('$(warning) Lambda Cloud: offers unavailable | Lambda Cloud is not answering (503).');
    expect(offerLabels(ui)).toEqual([
      '$(warning) Lambda Cloud: offers unavailable | Lambda Cloud is not answering (503).',
      '1x H100 80 GB · $2.39/h | RunPod · US-TX-3',
      '1x H100 80 GB · $2.69/h | RunPod · EU-RO-1',
      '$(circle-slash) 1x H100 80 GB · $1.99/h | RunPod · no region with capacity',
    ]);
    expect(ui.seen.find((s) => s.id === 'warn')?.message).toMatch(/sold out/);
    expect(runpod.provisions.map((p) => p.offerId)).toEqual(['COMMUNITY/h100/US-TX-3']);
    expect(runpod.provisions[0]?.diskGiB).toBe(50);
    expect(outcome).toMatchObject({ kind: 'ready' });
  });

  it('a capacity refusal at launch brings the offers back with that one sold out; the next launch goes through', async () => {
    const { lambda } = market();
    lambda.provisionError = new RemoteGpuError('capacity', 'Lambda Cloud has no capacity for gpu_1x_a10 in us-east-1.');
    const ui = new ScriptedUi([
      ['filters', choose(/^Show/)],
      ['offer', choose(/A10/)],
      ['image', choose(/default/)],
      ['sshKey', choose(/id_ed25519/)],
      ['name', type('a10-box')],
      ['confirm', press('confirm')],
      ['warn', press(undefined)],
      ['offer', choose(/H100/)],
      ['image', choose(/default/)],
      ['sshKey', choose(/id_ed25519/)],
      ['name', accept],
      ['confirm', press('confirm')],
      ['inform', press('Open Dashboard')],
    ]);
    const outcome = await runProvisionWizard(deps(ui, [lambda]));
    expect(ui.seen.find((s) => s.id === 'warn')?.message).toBe('Lambda Cloud has no capacity for gpu_1x_a10 in us-east-1. Nothing was launched; pick another offer.');
    expect(offerLabels(ui, 1)).toEqual(['1x H100 80 GB · $2.49/h | Lambda Cloud · us-west-1', '$(circle-slash) 1x A10 24 GB · $0.75/h | Lambda Cloud · us-east-1']);
    // Lambda names the key at launch: uploaded once (before the refused launch), reused by the second.
    expect(lambda.uploads).toHaveLength(1);
    expect(lambda.provisions.map((p) => [p.offerId, p.sshKeyName, p.name])).toEqual([
      ['gpu_1x_a10/us-east-1', 'remote-gpu-laptop', 'a10-box'],
      ['gpu_1x_h100/us-west-1', 'remote-gpu-laptop', 'a10-box'],
    ]);
    expect(ui.seen.find((s) => s.id === 'confirm')?.message).toContain('Lambda Cloud has no stop: it bills until you terminate it');
    expect(outcome).toMatchObject({ kind: 'ready', action: 'dashboard' });
  });

  it('cancelled while the instance boots: says it exists and bills, and terminates it when asked', async () => {
    const { runpod } = market();
    const ui = new ScriptedUi([
      ['filters', choose(/^Show/)],
      ['offer', choose(/2\.39/)],
      ['image', choose(/default/)],
      ['disk', accept],
      ['sshKey', choose(/id_ed25519/)],
      ['name', type('boot-box')],
      ['confirm', press('confirm')],
      ['warn', press('Terminate')],
    ]);
    runpod.onGetInstance = (state) => state === 'booting' && ui.cancelProgress();
    const d = deps(ui, [runpod]);
    const outcome = await runProvisionWizard(d);
    expect(ui.seen.find((s) => s.id === 'warn')?.message).toBe('Stopped waiting. boot-box exists on RunPod and bills $2.39/h until you terminate it.');
    expect(runpod.provisions).toHaveLength(1);
    expect(runpod.terminated).toEqual(['i-1']);
    expect(outcome).toMatchObject({ kind: 'notReady', instanceId: 'i-1', terminated: true, error: { reason: 'cancelled' } });
    expect(d.changed).toEqual(['runpod', 'runpod']);
  });

  it('cancelled before the launch request (during the key upload): nothing is launched and nothing is asked', async () => {
    const { runpod } = market();
    const ui = new ScriptedUi([
      ['filters', choose(/^Show/)],
      ['offer', choose(/2\.39/)],
      ['image', choose(/Another container image/)],
      ['image.custom', type('nvcr.io/nvidia/pytorch:24.08-py3')],
      ['disk', accept],
      ['sshKey', choose(/id_ed25519/)],
      ['name', accept],
      ['confirm', press('confirm')],
    ]);
    const upload = runpod.uploadSshKey.bind(runpod);
    runpod.uploadSshKey = async (k) => {
      ui.cancelProgress();
      return upload(k);
    };
    const outcome = await runProvisionWizard(deps(ui, [runpod]));
    expect(outcome).toEqual({ kind: 'cancelled' });
    expect(runpod.provisions).toEqual([]);
    expect(ui.seen.find((s) => s.id === 'confirm')?.message).toContain('Image: nvcr.io/nvidia/pytorch:24.08-py3');
  });

  it('SSH that never answers: a timeout that says so, the instance kept when the person chooses to', async () => {
    const { runpod } = market();
    const probe = new ScriptedProbe(Number.POSITIVE_INFINITY);
    const ui = new ScriptedUi([
      ['filters', choose(/^Show/)],
      ['offer', choose(/2\.39/)],
      ['image', choose(/default/)],
      ['disk', accept],
      ['sshKey', choose(/id_ed25519/)],
      ['name', type('mute-box')],
      ['confirm', press('confirm')],
      ['warn', press('Keep It')],
    ]);
    const d = { ...deps(ui, [runpod], probe), timing: { sshTimeoutMs: 60_000, sshIntervalMs: 3_000 } };
    const outcome = await runProvisionWizard(d);
    expect(ui.seen.find((s) => s.id === 'warn')?.message).toBe('SSH on mute-box (10.0.0.7:2222) did not answer within 60 s: connection refused mute-box exists on RunPod and bills $2.39/h until you terminate it.');
    expect(probe.targets.length).toBe(21);
    expect(runpod.terminated).toEqual([]);
    expect(outcome).toMatchObject({ kind: 'notReady', terminated: false, error: { reason: 'timeout' } });
  });

  it('refuses a bad name and a bad disk size in the input boxes, and needs a configured provider and a local key', async () => {
    const { runpod } = market();
    let nameStep: { validate(v: string): string | undefined } | undefined;
    let diskStep: { validate(v: string): string | undefined } | undefined;
    const ui = new ScriptedUi([
      ['filters', choose(/^Show/)],
      ['offer', choose(/2\.39/)],
      ['image', choose(/default/)],
      ['disk', ((s: typeof diskStep) => ((diskStep = s), undefined)) as never],
    ]);
    await runProvisionWizard(deps(ui, [runpod]));
    expect(diskStep?.validate('5')).toMatch(/Between 10 and 4096/);
    expect(diskStep?.validate('50GB')).toMatch(/whole number/);
    const ui2 = new ScriptedUi([
      ['filters', choose(/^Show/)],
      ['offer', choose(/2\.39/)],
      ['image', choose(/default/)],
      ['disk', accept],
      ['sshKey', choose(/id_ed25519/)],
      ['name', ((s: typeof nameStep) => ((nameStep = s), undefined)) as never],
    ]);
    await runProvisionWizard(deps(ui2, [runpod]));
    expect(nameStep?.validate('my box; rm -rf ~')).toMatch(/letters, digits/);
    expect(nameStep?.validate('x'.repeat(65))).toMatch(/64/);
    expect(nameStep?.validate('-lead')).toMatch(/starting with/);
    await expect(runProvisionWizard(deps(new ScriptedUi([]), []))).rejects.toMatchObject({ reason: 'config' });
    const ui3 = new ScriptedUi([
      ['filters', choose(/^Show/)],
      ['offer', choose(/2\.39/)],
      ['image', choose(/default/)],
      ['disk', accept],
    ]);
    await expect(runProvisionWizard(deps(ui3, [runpod], undefined, []))).rejects.toMatchObject({ reason: 'config', message: expect.stringMatching(/ssh-keygen/) });
  });

  it('the offer rows say provider, region, availability and whether the instance can stop', async () => {
    const { lambda, runpod } = market();
    let rows: PickStep<Candidate> | undefined;
    const ui = new ScriptedUi([
      ['filters', choose(/^Show/)],
      ['offer', ((s: PickStep<Candidate>) => ((rows = s), undefined)) as never],
    ]);
    await runProvisionWizard(deps(ui, [lambda, runpod]));
    expect(rows?.items.map((i) => i.detail)).toEqual([
      'available now · cannot stop (terminate only)',
      'available now · can stop',
      'available now · cannot stop (terminate only)',
      'available now · can stop',
      'sold out · can stop',
    ]);
  });
});
