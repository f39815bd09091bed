import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { rigInfo } from './env';
import { api, type TestApi } from './helpers';

// Recommend a GPU... inside code-server against the world's fake providers (HTTP, their real clients): the steps are
// answered through the quick-input seam (src/vscode/advisor/scriptableUi.ts), everything behind them is the real
// command, estimate, offer listing and Provision wizard.

interface Offer {
  readonly provider: string;
  readonly id: string;
  readonly gpuCount: number;
  readonly maxGpuCount?: number;
  readonly vramGiB?: number;
  readonly available: boolean;
  readonly priceMicrosPerHour: number;
}
interface Fit {
  readonly offer: Offer;
  readonly mode: 'oneGpu' | 'modelParallel' | 'zero';
  readonly gpus: number;
  readonly perGpuBytes: number;
  readonly usableBytes: number;
  readonly priceMicrosPerHour: number;
}
interface Estimate {
  readonly parts: readonly { readonly key: string; readonly bytes: number }[];
  readonly totalBytes: number;
}
interface Item {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: unknown;
}
interface Step {
  readonly id: string;
  readonly title: string;
  readonly items?: readonly Item[];
  readonly validate?: (v: string) => string | undefined;
}
type Answer = unknown;
const BACK_OR_CANCEL = undefined;

/** The parts of the test API this suite drives (src/vscode/extension.ts RemoteGpuTestApi). */
interface AdvisorApi extends TestApi {
  readonly prompts: { readonly scriptedConfirms: boolean[]; readonly scriptedInputs: (string | undefined)[] };
  readonly providers: {
    hasKey(id: string): Promise<boolean>;
    configured(): Promise<readonly { readonly id: string; listInstances(): Promise<{ id: string }[]>; listOffers(): Promise<Offer[]> }[]>;
  };
  readonly quickInput: { script: unknown };
}

const GIB = 2 ** 30;
const HEADROOM = 0.1;

/**
 * A ProvisionUi that answers each step by its id from `answers` and records every step it was shown. A step with no
 * answer is dismissed (Escape), which ends the flow as a person would.
 */
function scripted(answers: Record<string, (step: Step) => Answer>) {
  const seen: Step[] = [];
  const messages: string[] = [];
  const answer = (step: Step): Promise<Answer> => {
    seen.push(step);
    const a = answers[step.id];
    return Promise.resolve(a ? a(step) : BACK_OR_CANCEL);
  };
  const ui = {
    pick: answer,
    input: answer,
    confirm: answer,
    progress: (_title: string, task: (p: { report(m: string): void }, s: AbortSignal) => Promise<unknown>) => task({ report: () => undefined }, new AbortController().signal),
    inform: (m: string) => (messages.push(m), Promise.resolve(undefined)),
    warn: (m: string) => (messages.push(m), Promise.resolve(undefined)),
  };
  return { ui, seen, messages };
}

function valued(step: Step, match: (v: unknown) => boolean): unknown {
  const item = step.items?.find((i) => match(i.value));
  if (!item) throw new Error(`step ${step.id} has no such item: ${JSON.stringify(step.items?.map((i) => i.label))}`);
  return item.value;
}

const isFitRow = (v: unknown): v is { fit: Fit; estimate: Estimate } => typeof v === 'object' && v !== null && 'fit' in v;

/** "14.0 GB" → bytes (decimal GB, as the advisor writes them). */
function gb(text: string): number {
  const m = /([\d.]+) GB/.exec(text);
  if (!m?.[1]) throw new Error(`no GB figure in ${JSON.stringify(text)}`);
  return Number(m[1]) * 1e9;
}

suite('Recommend a GPU', () => {
  const cloud = rigInfo().cloud;
  if (!cloud) throw new Error('the advisor suite needs the cloud fakes (startWorld with clouds)');
  const keys: Record<string, string> = { lambda: cloud.lambdaKey, runpod: cloud.runpodKey, vast: cloud.vastKey };
  const setHere: string[] = [];
  let configUri: vscode.Uri | undefined;

  async function advisorApi(): Promise<AdvisorApi> {
    return (await api()) as AdvisorApi;
  }

  async function instanceIds(): Promise<string[]> {
    const providers = await (await advisorApi()).providers.configured();
    const lists = await Promise.all(providers.map(async (p) => (await p.listInstances()).map((i) => `${p.id}:${i.id}`)));
    return lists.flat().sort();
  }

  async function runAdvisor(answers: Record<string, (step: Step) => Answer>) {
    const a = await advisorApi();
    const s = scripted(answers);
    a.quickInput.script = s.ui;
    try {
      await vscode.commands.executeCommand('remoteGpu.recommendGpu');
    } finally {
      a.quickInput.script = undefined;
    }
    const offers = s.seen.find((st) => st.id === 'offers');
    if (!offers) throw new Error(`the advisor never reached its offers: steps ${s.seen.map((st) => st.id).join(', ')}; messages ${s.messages.join(' | ')}`);
    return { ...s, offers };
  }

  suiteSetup(async function () {
    this.timeout(60_000);
    const a = await advisorApi();
    for (const [id, key] of Object.entries(keys)) {
      if (await a.providers.hasKey(id)) continue;
      a.prompts.scriptedInputs.push(key);
      await vscode.commands.executeCommand('remoteGpu.setApiKey', id);
      assert.equal(await a.providers.hasKey(id), true, `the ${id} fake took its key`);
      setHere.push(id);
    }
    // A Hugging Face config.json in the workspace: Llama 2 70B's shape (grouped-query attention, 8 KV heads).
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('code-server opened no workspace folder');
    configUri = vscode.Uri.joinPath(folder.uri, 'models', 'llama-2-70b', 'config.json');
    const config = { architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_act: 'silu', hidden_size: 8192, intermediate_size: 28672, num_attention_heads: 64, num_hidden_layers: 80, num_key_value_heads: 8, vocab_size: 32000, torch_dtype: 'float16' };
    await vscode.workspace.fs.writeFile(configUri, new TextEncoder().encode(JSON.stringify(config, null, 2)));
  });

  suiteTeardown(async () => {
    const a = await advisorApi();
    a.quickInput.script = undefined;
    // Leave the world as the other suites expect it: no keys they did not set themselves, no config file.
    for (const id of setHere) {
      a.prompts.scriptedConfirms.push(true);
      await vscode.commands.executeCommand('remoteGpu.removeApiKey', id);
    }
    if (configUri) await vscode.workspace.fs.delete(vscode.Uri.joinPath(configUri, '..', '..'), { recursive: true }).then(undefined, () => undefined);
  });

  test('13B LoRA, BF16, batch 4 x 2048 tokens: named parts summed; the fitting offers cheapest first; the choice lands in Provision at the image step and Escape there launches nothing', async function () {
    this.timeout(120_000);
    const before = await instanceIds();
    const a = await advisorApi();
    const allOffers = (await Promise.all((await a.providers.configured()).map((p) => p.listOffers()))).flat();
    const run = await runAdvisor({
      model: (s) => valued(s, (v) => v === 'size'),
      'model.size': (s) => {
        assert.ok(s.validate?.('seven'), 'a size that is not a number is refused');
        return '13';
      },
      workload: (s) => valued(s, (v) => v === 'lora'),
      precision: (s) => valued(s, (v) => v === 'bf16'),
      batch: () => '4',
      sequence: () => '2048',
      checkpointing: (s) => valued(s, (v) => v === true),
      offers: (s) => s.items?.find((i) => isFitRow(i.value))?.value,
      // Provision's own steps after the hand-off: none answered, so its first one is dismissed.
    });
    const ids = run.seen.map((s) => s.id);
    assert.deepEqual(ids.slice(0, ids.indexOf('offers') + 1), ['model', 'model.size', 'workload', 'precision', 'batch', 'sequence', 'checkpointing', 'offers']);
    assert.deepEqual(ids.slice(ids.indexOf('offers') + 1), ['image'], 'Provision went on from the chosen offer: no filters or offer step, and it stopped at the image step');
    const image = run.seen.at(-1) as Step;
    assert.match(image.title, /Provision/);

    const items = run.offers.items ?? [];
    const note = items[0] as Item;
    const rows = items.filter((i) => isFitRow(i.value)) as (Item & { value: { fit: Fit; estimate: Estimate } })[];
    assert.ok(rows.length >= 2, `several offers fit a 13B LoRA: ${items.map((i) => i.label).join(' | ')}`);
    const estimate = rows[0]?.value.estimate as Estimate;

    // The estimate: every part named in the breakdown, the parts summing to the total shown.
    assert.match(note.label, /GB on one GPU$/);
    assert.match(note.description ?? '', /^13B parameters/);
    const shown = (note.detail ?? '').split(' + ');
    assert.deepEqual(shown.map((p) => p.replace(/ [\d.]+ GB$/, '')), ['weights', 'LoRA adapters', 'gradients', 'AdamW states', 'FP32 master weights', 'activations', 'logits', 'CUDA context', 'allocator overhead']);
    const sum = shown.reduce((acc, p) => acc + gb(p), 0);
    assert.ok(Math.abs(sum - gb(note.label)) <= 0.1e9 * shown.length, `parts ${sum / 1e9} GB vs total ${note.label}`);
    assert.equal(estimate.parts.reduce((acc, p) => acc + p.bytes, 0), estimate.totalBytes);
    // The published figure: 13B parameters in 16 bits are 26 GB of weights.
    assert.equal(shown[0], 'weights 26.0 GB');

    // The offers: every offer of the configured fakes whose GPU holds the estimate with 10 % headroom, and no other,
    // available ones cheapest first, each row saying how it fits.
    const fitsOne = allOffers.filter((o) => o.vramGiB !== undefined && o.vramGiB * GIB * (1 - HEADROOM) >= estimate.totalBytes);
    assert.ok(fitsOne.length >= 2 && fitsOne.length < allOffers.length, `the fakes' ${allOffers.length} offers include some too small: ${fitsOne.length} fit`);
    const oneGpu = rows.filter((r) => r.value.fit.mode === 'oneGpu');
    assert.deepEqual(oneGpu.map((r) => `${r.value.fit.offer.provider}:${r.value.fit.offer.id}`).sort(), fitsOne.map((o) => `${o.provider}:${o.id}`).sort());
    for (const r of rows) {
      const { fit } = r.value;
      assert.ok(fit.perGpuBytes <= fit.usableBytes);
      assert.equal(fit.usableBytes, (fit.offer.vramGiB ?? 0) * GIB * (1 - HEADROOM));
      assert.match(r.label, /\$[\d.]+\/h/);
      if (fit.mode === 'oneGpu') assert.match(r.description ?? '', /^fits on one GPU · /);
      else {
        // Only an offer whose one GPU is too small is split, and the row says across how many.
        assert.ok(!fitsOne.some((o) => o.provider === fit.offer.provider && o.id === fit.offer.id) && fit.gpus >= 2, JSON.stringify(fit));
        assert.match(r.description ?? '', new RegExp(`^needs ${fit.gpus} GPUs with tensor or pipeline parallelism · `));
      }
    }
    const availability = rows.map((r) => r.value.fit.offer.available);
    assert.deepEqual(availability, [...availability].sort((x, y) => Number(y) - Number(x)), 'offers available now before sold-out ones');
    const available = rows.filter((r) => r.value.fit.offer.available).map((r) => r.value.fit.priceMicrosPerHour);
    assert.deepEqual(available, [...available].sort((x, y) => x - y), 'cheapest first');
    assert.ok(items.some((i) => i.label.startsWith('$(lightbulb) ')), 'rules of thumb beside the numbers');

    assert.deepEqual(await instanceIds(), before, 'Escape at the image step launched nothing on any fake');
  });

  test('a workspace config.json (Llama 2 70B) for inference needs several GPUs: "needs N GPUs with tensor or pipeline parallelism"; Escape at the offers ends it', async function () {
    this.timeout(120_000);
    const before = await instanceIds();
    const run = await runAdvisor({
      model: (s) => valued(s, (v) => typeof v === 'object' && v !== null && /llama-2-70b\/config\.json$/.test((v as { label: string }).label)),
      workload: (s) => valued(s, (v) => v === 'inference'),
      precision: (s) => valued(s, (v) => v === 'bf16'),
      batch: () => '1',
      sequence: () => '4096',
      // offers: not answered (Escape).
    });
    const ids = run.seen.map((s) => s.id);
    assert.deepEqual(ids, ['model', 'workload', 'precision', 'batch', 'sequence', 'offers'], 'inference skips gradient checkpointing, and nothing follows Escape');
    const items = run.offers.items ?? [];
    const note = items[0] as Item;
    // Llama 2 70B: about 69B parameters, so about 138 GB of 16-bit weights; no single GPU of the fakes holds that.
    assert.match(note.description ?? '', /llama-2-70b\/config\.json: 6[89]\.\d+B parameters/);
    assert.match(note.detail ?? '', /^weights 13[89] GB \+ KV cache [\d.]+ GB \+ /);
    const rows = items.filter((i) => isFitRow(i.value)) as (Item & { value: { fit: Fit } })[];
    assert.ok(rows.length >= 1, `some multi-GPU offer carries it: ${items.map((i) => i.label).join(' | ')}`);
    for (const r of rows) {
      const { fit } = r.value;
      assert.equal(fit.mode, 'modelParallel');
      assert.ok(fit.gpus >= 2 && fit.gpus <= Math.max(fit.offer.gpuCount, fit.offer.maxGpuCount ?? 0));
      assert.match(r.description ?? '', new RegExp(`^needs ${fit.gpus} GPUs with tensor or pipeline parallelism · `));
    }
    assert.deepEqual(await instanceIds(), before);
  });
});
