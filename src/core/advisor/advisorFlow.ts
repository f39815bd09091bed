import { RemoteGpuError } from '../errors';
import type { CloudProvider } from '../providers/provider';
import { gatherOffers } from '../provisioning/offerCatalog';
import { scaled, type Candidate } from '../provisioning/offerFilter';
import { offerRow } from '../provisioning/offerRows';
import { BACK, type PickItem, type ProvisionUi, type StepAnswer, type StepFrame } from '../provisioning/provisionUi';
import { describeAdvice, formatGb, partLabel } from './advisorText';
import type { EstimateInput, MemoryEstimate, Workload } from './memoryEstimate';
import { estimateMemory } from './memoryEstimate';
import type { ModelShape } from './modelShape';
import { shapeFromHfConfig, shapeFromParams } from './modelShape';
import type { OfferFit } from './offerFit';
import { fitOffers } from './offerFit';
import type { Precision } from './precision';
import { rulesOfThumb } from './rulesOfThumb';
import { t } from '../../shared/l10n';

/** A config.json found in the workspace; read only when chosen. */
export interface ConfigFile {
  readonly label: string;
  read(): Promise<unknown>;
}

export interface AdvisorDeps {
  readonly ui: ProvisionUi;
  /** The providers with an API key. */
  readonly providers: () => Promise<readonly CloudProvider[]>;
  readonly configFiles: () => Promise<readonly ConfigFile[]>;
}

export type AdvisorOutcome =
  | { readonly kind: 'cancelled' }
  /** The person picked an offer: the provisioning flow goes on from there. */
  | { readonly kind: 'chosen'; readonly candidate: Candidate; readonly fit: OfferFit; readonly estimate: MemoryEstimate };

interface Draft {
  model?: ModelShape;
  modelLabel?: string;
  workload?: Workload;
  precision?: Precision;
  batchSize?: number;
  sequenceLength?: number;
  checkpointing?: boolean;
}

const STEPS = ['model', 'workload', 'precision', 'batch', 'sequence', 'checkpointing', 'offers'] as const;
type StepId = (typeof STEPS)[number];
// Functions, not constants: the words are translated when the step is shown, after activation set the language.
const TITLE = (): string => t('Recommend a GPU');

const WORKLOADS = (): ReadonlyArray<PickItem<Workload>> => [
  { label: t('Inference'), description: t('weights + KV cache'), value: 'inference' },
  { label: t('LoRA fine-tuning'), description: t('frozen base, small adapters'), value: 'lora' },
  { label: t('QLoRA fine-tuning'), description: t('4-bit (NF4) base, 16-bit adapters'), value: 'qlora' },
  { label: t('Full fine-tuning / training'), description: t('every weight trained, AdamW'), value: 'full' },
];
const PRECISION_ITEMS = (): ReadonlyArray<PickItem<Precision>> => [
  { label: 'BF16 / FP16', description: t('2 bytes per parameter'), value: 'bf16' },
  { label: 'FP32', description: t('4 bytes'), value: 'fp32' },
  { label: 'FP8', description: t('1 byte (H100, L40S, MI300)'), value: 'fp8' },
  { label: 'INT8', description: t('1 byte + scales'), value: 'int8' },
  { label: 'INT4', description: t('half a byte + scales (GPTQ, AWQ)'), value: 'int4' },
];

function positiveInt(text: string, max: number): number | undefined {
  const digits = text.trim().replace(/[_,]/g, '');
  if (!/^\d+$/.test(digits)) return undefined;
  const n = Number(digits);
  return n >= 1 && n <= max ? n : undefined;
}

/** "7", "7b", "70B", "1.5", "350m" → parameters. */
export function parseModelSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bBmMtT]?)\s*$/.exec(text);
  if (!m) return undefined;
  const unit = (m[2] ?? '').toLowerCase();
  const n = Number(m[1]) * (unit === 'm' ? 1e6 : unit === 't' ? 1e12 : 1e9);
  return n > 0 && n <= 1e13 ? n : undefined;
}

function settle<T>(answer: StepAnswer<T>, store: (v: T) => void): 'next' | 'back' | 'cancel' {
  if (answer === undefined) return 'cancel';
  if (answer === BACK) return 'back';
  store(answer);
  return 'next';
}

function inputOf(d: Draft): EstimateInput {
  if (!d.model || !d.workload) throw new RemoteGpuError('internal', t('The advisor lost its model or workload.'));
  return {
    model: d.model,
    workload: d.workload,
    precision: d.workload === 'qlora' ? 'bf16' : (d.precision ?? 'bf16'),
    batchSize: d.batchSize ?? 1,
    sequenceLength: d.sequenceLength ?? 2048,
    gradientCheckpointing: d.workload !== 'inference' && (d.checkpointing ?? true),
  };
}

async function modelStep(deps: AdvisorDeps, frame: StepFrame, d: Draft): Promise<'next' | 'back' | 'cancel'> {
  const configs = await deps.configFiles();
  const items: Array<PickItem<ConfigFile | 'size'>> = [
    { label: `$(edit) ${t('Enter the size in billions of parameters')}`, value: 'size' },
    ...configs.map((c) => ({ label: `$(json) ${c.label}`, description: t('Hugging Face config.json'), value: c })),
  ];
  for (;;) {
    const choice = await deps.ui.pick({ ...frame, id: 'model', placeholder: t('Which model?'), items });
    if (choice === undefined || choice === BACK) return choice === undefined ? 'cancel' : 'back';
    if (choice === 'size') {
      const v = await deps.ui.input({ ...frame, canGoBack: true, id: 'model.size', prompt: t('Model size: billions of parameters (7, 13, 70) or with a unit (350m, 1.5b)'), value: '', placeholder: '7', validate: (s) => (parseModelSize(s) === undefined ? t('Enter a size such as 7 or 1.5b') : undefined) });
      if (v === undefined) return 'cancel';
      if (v === BACK) continue;
      const params = parseModelSize(v) as number;
      d.model = shapeFromParams(params);
      d.modelLabel = t('{0} parameters (Llama-like shape assumed)', formatParams(params));
      return 'next';
    }
    try {
      d.model = shapeFromHfConfig(await choice.read());
      d.modelLabel = t('{0}: {1} parameters', choice.label, formatParams(d.model.params));
      return 'next';
    } catch (e) {
      const message = e instanceof RemoteGpuError ? e.message : t('The file could not be read.');
      await deps.ui.warn(`${choice.label}: ${message}`, []);
    }
  }
}

export function formatParams(n: number): string {
  return n >= 1e9 ? `${Number((n / 1e9).toFixed(2))}B` : `${Number((n / 1e6).toFixed(1))}M`;
}

type Catalog = Awaited<ReturnType<typeof gatherOffers>>;

async function offersStep(deps: AdvisorDeps, frame: StepFrame, d: Draft, names: ReadonlyMap<string, string>, catalog: Catalog): Promise<StepAnswer<{ fit: OfferFit; estimate: MemoryEstimate }>> {
  {
    const input = inputOf(d);
    const estimate = estimateMemory(input);
    const { fits, unknownVram } = fitOffers(input, catalog.offers);
    const breakdown = estimate.parts.map((p) => `${partLabel(p.key)} ${formatGb(p.bytes)}`).join(' + ');
    type Row = { fit: OfferFit; estimate: MemoryEstimate } | 'note';
    const items: Array<PickItem<Row>> = [
      { label: `$(info) ${t('{0} on one GPU', formatGb(estimate.totalBytes))}`, description: d.modelLabel ?? '', detail: breakdown, value: 'note' },
      ...fits.map((fit) => {
        const row = offerRow(candidateOf(fit), names as never);
        const how = fit.mode === 'oneGpu' ? t('fits on one GPU') : fit.mode === 'zero' ? t('ZeRO across {0} GPUs', fit.gpus) : t('needs {0} GPUs with tensor or pipeline parallelism', fit.gpus);
        return { ...row, description: `${how} · ${row.description ?? ''}`, detail: `${t('{0} of {1} usable per GPU', formatGb(fit.perGpuBytes), formatGb(fit.usableBytes))} · ${row.detail ?? ''}`, value: { fit, estimate } as Row };
      }),
      ...(fits.length === 0 ? [{ label: `$(warning) ${t('No offer of the configured providers fits')}`, description: t('try a lower precision, QLoRA, or a smaller batch'), value: 'note' as Row }] : []),
      ...(unknownVram > 0 ? [{ label: `$(question) ${unknownVram === 1 ? t('1 offer without a stated GPU memory, not judged') : t('{0} offers without a stated GPU memory, not judged', unknownVram)}`, value: 'note' as Row }] : []),
      ...catalog.failures.map((f) => ({ label: `$(warning) ${t('{0}: offers unavailable', f.providerName)}`, description: f.error.message, value: 'note' as Row })),
      ...describeAdvice(rulesOfThumb({ modelParallelGpus: fits[0]?.mode === 'modelParallel' ? fits[0].gpus : 1 })).map((text) => ({ label: `$(lightbulb) ${text}`, value: 'note' as Row })),
    ];
    for (;;) {
      const choice = await deps.ui.pick({ ...frame, id: 'offers', placeholder: t('Offers that fit, cheapest first: pick one to provision it'), items });
      if (choice !== 'note') return choice;
    }
  }
}

/** The offer at the GPU count the fit needs, where the provider lets the count be chosen (as Provision's filter does). */
function candidateOf(fit: OfferFit): Candidate {
  return (fit.offer.maxGpuCount !== undefined ? scaled(fit.offer, fit.gpus) : undefined) ?? { offer: fit.offer };
}

/**
 * "Recommend a GPU...": model (a size or a workspace config.json) → work → precision → batch → sequence length →
 * gradient checkpointing → the offers of every configured provider that fit, with the memory breakdown and the
 * rules of thumb. Offers are read in the background from the first step on, so the last step rarely waits.
 */
export async function runAdvisor(deps: AdvisorDeps): Promise<AdvisorOutcome> {
  const providers = await deps.providers();
  const offersPromise = gatherOffers(providers);
  offersPromise.catch(() => undefined);
  const names = new Map(providers.map((p) => [p.id as string, p.displayName]));
  const d: Draft = {};
  let i = 0;
  let direction = 1;
  for (;;) {
    const id = STEPS[i] as StepId;
    const frame: StepFrame = { title: TITLE(), step: i + 1, totalSteps: STEPS.length, canGoBack: i > 0 };
    let result: 'next' | 'back' | 'cancel' | 'skip';
    let chosen: { fit: OfferFit; estimate: MemoryEstimate } | undefined;
    switch (id) {
      case 'model':
        result = await modelStep(deps, frame, d);
        break;
      case 'workload':
        result = settle(await deps.ui.pick({ ...frame, id, placeholder: t('What will the GPU do?'), items: WORKLOADS() }), (w) => (d.workload = w));
        break;
      case 'precision': {
        if (d.workload === 'qlora') {
          result = 'skip';
          break;
        }
        const items = d.workload === 'full' ? PRECISION_ITEMS().filter((p) => p.value !== 'int8' && p.value !== 'int4') : PRECISION_ITEMS();
        result = settle(await deps.ui.pick({ ...frame, id, placeholder: t('Precision of the weights'), items }), (p) => (d.precision = p));
        break;
      }
      case 'batch':
        result = settle(
          await deps.ui.input({ ...frame, id, prompt: t('Batch size per GPU (sequences per step)'), value: String(d.batchSize ?? 1), validate: (s) => (positiveInt(s, 65_536) === undefined ? t('Enter a whole number from 1') : undefined) }),
          (v) => (d.batchSize = positiveInt(v, 65_536)),
        );
        break;
      case 'sequence':
        result = settle(
          await deps.ui.input({ ...frame, id, prompt: t('Sequence length in tokens (prompt + output for inference)'), value: String(d.sequenceLength ?? 2048), validate: (s) => (positiveInt(s, 10_000_000) === undefined ? t('Enter a whole number of tokens') : undefined) }),
          (v) => (d.sequenceLength = positiveInt(v, 10_000_000)),
        );
        break;
      case 'checkpointing':
        if (d.workload === 'inference') {
          result = 'skip';
          break;
        }
        result = settle(
          await deps.ui.pick({ ...frame, id, placeholder: t('Gradient checkpointing?'), items: [
            { label: t('On'), description: t('recompute activations: much less memory, about 30 % slower'), value: true },
            { label: t('Off'), description: t('keep every activation'), value: false },
          ] }),
          (v) => (d.checkpointing = v),
        );
        break;
      case 'offers':
        {
          const catalog = await deps.ui.progress(t('Reading offers from the configured providers'), () => offersPromise);
          result = settle(await offersStep(deps, frame, d, names, catalog), (v) => (chosen = v));
        }
        break;
    }
    if (result === 'cancel') return { kind: 'cancelled' };
    if (result === 'back') {
      direction = -1;
      i = Math.max(0, i - 1);
    } else if (result === 'skip') i += direction;
    else if (id === 'offers' && chosen) return { kind: 'chosen', candidate: candidateOf(chosen.fit), fit: chosen.fit, estimate: chosen.estimate };
    else {
      direction = 1;
      i += 1;
    }
  }
}
