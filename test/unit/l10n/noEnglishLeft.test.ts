// The class of bug the bundle tests cannot see: English that reaches a Chinese line without passing through t(). Under
// a translator that turns every word of every message into "译", whatever Latin word is left in the text the domain
// hands the UI came from outside t(): a data value spliced into a sentence ('terminalInput', 'maxRuntime', 'lambda'),
// or a sentence built without t(). Only units and the test's own data (names it passed in) may stay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelSize, runAdvisor } from '../../../src/core/advisor/advisorFlow';
import { describeAdvice, partLabel } from '../../../src/core/advisor/advisorText';
import type { PartKey } from '../../../src/core/advisor/memoryEstimate';
import { rulesOfThumb } from '../../../src/core/advisor/rulesOfThumb';
import { RemoteGpuError } from '../../../src/core/errors';
import { describeEffect } from '../../../src/core/idle/audit';
import { initialIdleState, reduceIdle } from '../../../src/core/idle/idleReducer';
import type { ActivitySource, IdleObservation, IdleState, IdleStep } from '../../../src/core/idle/idleTypes';
import { DEFAULT_IDLE_POLICY, type IdlePolicy } from '../../../src/core/idle/policy';
import { planBudgetStop, planStop, type StopTarget } from '../../../src/core/idle/stopAction';
import { evaluateBudgets } from '../../../src/core/cost/budgets';
import type { CostSummary } from '../../../src/core/cost/counters';
import type { Instance, InstanceState } from '../../../src/core/providers/instance';
import { instanceDescription } from '../../../src/core/providers/instanceSummary';
import { lifecycleWording, type LifecycleAction } from '../../../src/core/providers/lifecycleWording';
import { summarizeGpus } from '../../../src/core/telemetry/gpuSummary';
import { describeWatchdog, type WatchdogState } from '../../../src/core/watchdog/watchdogCommands';
import { validateWatchdogConfig, watchdogConfigFrom } from '../../../src/core/watchdog/watchdogConfig';
import type { PickStep, InputStep } from '../../../src/core/provisioning/provisionUi';
import { formatMessage, setTranslator, t } from '../../../src/shared/l10n';
import { runProvisionWizard } from '../../../src/core/provisioning/provisionWizard';
import type { ConfirmRequest, ProvisionUi, StepAnswer } from '../../../src/core/provisioning/provisionUi';
import { CAPS, deps, FakeProvider, KEY, offer, ScriptedProbe, ScriptedUi } from '../provisioning/wizardKit';

/** Every word of the message becomes 译; placeholders and punctuation stay, so the arguments show as they are. */
const pseudoTranslator = (message: string, args: readonly (string | number | boolean)[]) => formatMessage(message.replace(/[A-Za-z]+/g, '译'), args);

/** Units and technical names the product writes as they are in every language (ARCHITECTURE.md, "Languages"). */
const UNITS = new Set(['GB', 'GiB', 'MiB', 'KiB', 'vCPU', 'BF16', 'FP16', 'FP32', 'FP8', 'INT8', 'INT4']);

/** The Latin words left in `text`, less codicons, units and the given data words. */
function english(text: string, data: readonly string[] = []): string[] {
  const words = (x: string) => (x.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []).filter((w) => /[A-Za-z].*[A-Za-z]/.test(w));
  const allowed = new Set([...UNITS, ...data.flatMap(words)]);
  return words(text.replace(/\$\([\w~-]+\)/g, '')).filter((w) => !allowed.has(w));
}

/** Texts whose Latin words are not allowed, with the words, for a readable failure. */
function leaks(texts: readonly string[], data: readonly string[] = []): string[] {
  return texts.filter((x) => english(x, data).length > 0).map((x) => `${JSON.stringify(x)} → ${english(x, data).join(', ')}`);
}

beforeAll(() => setTranslator(pseudoTranslator));
afterAll(() => setTranslator(undefined));

describe('the check itself', () => {
  it('sees a data value spliced into a translated sentence, and English built without t()', () => {
    expect(leaks([t('activity in VS Code {0} ago ({1})', '2', 'terminalInput')])).toHaveLength(1);
    expect(leaks([`${t('Stopped on request.')} (maxRuntime)`])).toHaveLength(1);
    expect(leaks([t('{0} on one GPU', '12.0 GB')])).toEqual([]);
  });
});

const MIN = 60_000;
const SOURCES: ActivitySource[] = ['remoteWindowFocus', 'terminalInput', 'terminalOutput', 'dashboardFocus', 'editorEdit'];
const CHECKPOINT = '/数据/检查点-100';
const LOG = '/数据/日志';

/** Drives the reducer and keeps every text it produces: effects, their audit lines, verdicts and signal reports. */
class Trace {
  readonly texts: string[] = [];
  readonly seen = new Set<string>();
  private state: IdleState;
  constructor(private readonly policy: IdlePolicy, private now = 0) {
    this.state = initialIdleState(now);
  }
  send(obs: IdleObservation, at = this.now): IdleStep {
    this.now = at;
    const step = reduceIdle(this.state, obs, this.policy, at);
    this.state = step.state;
    for (const e of step.effects) {
      this.seen.add('reason' in e ? `${e.kind}:${e.reason}` : e.kind);
      this.texts.push(describeEffect(e), ...('explanation' in e ? [e.explanation] : []));
    }
    const v = step.verdict;
    this.texts.push(v.explanation, v.signals.gpu.text, v.signals.person.text, v.signals.progress.text);
    return step;
  }
  /** Quiet (or busy) GPU samples every 10 s until `until`. */
  gpus(until: number, util: number): void {
    for (let at = this.now + 10_000; at <= until; at += 10_000) this.send({ kind: 'gpuSample', utilisationPercent: [util, util] }, at);
  }
}

describe('auto-stop text under a translator has no English left', () => {
  it('warnings, withdrawals, stops, keeps, verdicts and signal reports of every reason and activity source', () => {
    const trace = new Trace({ ...DEFAULT_IDLE_POLICY, maxRuntimeMs: 600 * MIN });
    trace.send({ kind: 'launched', at: 0 });
    trace.gpus(25 * MIN, 0); // idle: warned at 20 min
    SOURCES.forEach((source, i) => trace.send({ kind: 'activity', source }, 25 * MIN + i * 1000));
    trace.send({ kind: 'windowOpen', open: true });
    trace.send({ kind: 'progress', what: 'checkpoint', path: CHECKPOINT });
    trace.send({ kind: 'progress', what: 'logGrew', path: LOG, bytes: 2048 } as IdleObservation);
    trace.send({ kind: 'gpuUnavailable', why: 'telemetry is stale' }, 26 * MIN);
    trace.gpus(40 * MIN, 100);
    trace.send({ kind: 'keep', until: 'keepWindow' });
    trace.send({ kind: 'keep', until: 'untilISay' });
    trace.send({ kind: 'release' });
    trace.send({ kind: 'budgetExceeded', detail: '每日预算 $10.00' });
    trace.gpus(60 * MIN, 100); // the budget stops even a busy box
    trace.send({ kind: 'running' }, 200 * MIN);
    trace.send({ kind: 'launched', at: 0 });
    trace.gpus(595 * MIN, 100); // maximum runtime warning ahead of 600 min
    trace.send({ kind: 'stopNow' });
    for (const seen of ['warn:idle', 'cancelWarning:idle', 'kept', 'keepEnded', 'warn:budget', 'stop:budget', 'warn:maxRuntime', 'stop:user']) expect([...trace.seen]).toContain(seen);
    expect(leaks(trace.texts)).toEqual([]);
  });

  it('stop plans for every kind of machine', () => {
    const target = (provider: 'lambda' | 'runpod', terminateOptIn: boolean): StopTarget => ({ kind: 'instance', provider, capabilities: CAPS[provider], terminateOptIn });
    const targets: StopTarget[] = [target('lambda', false), target('lambda', true), target('runpod', false), { kind: 'sshHost' }, { kind: 'sshHost', stopCommand: ['sudo', 'poweroff'] }];
    const whys = targets.flatMap((x) => [planStop(x).why, planBudgetStop('stopStoppable', x).why, planBudgetStop('stopAllTerminateRest', x).why]);
    expect(leaks(whys)).toEqual([]);
  });

  it('the watchdog: every status and every refused setting', () => {
    const state = (verdict: WatchdogState['verdict']): WatchdogState => ({ version: '1', pid: 7, verdict, idleSec: 90, windowSec: 1800, personQuietSec: null, personWindowSec: 900, lastUtil: 0, at: 1, stopKind: 'shutdown' });
    const statuses = [
      { installed: false, running: false },
      { installed: true, running: false },
      { installed: true, running: false, state: state('stopped') },
      { installed: true, running: true },
      ...(['armed', 'busy', 'unmeasured', 'person', 'stopping', 'stopped'] as const).map((v) => ({ installed: true, running: true, state: state(v) })),
    ];
    const texts = statuses.map(describeWatchdog);
    const bad = { ...watchdogConfigFrom(DEFAULT_IDLE_POLICY, { kind: 'none' }), dir: '../目录', bucketSec: 0, sampleSec: 0, idleWindowSec: 0, personWindowSec: 0, gpuBusyPercent: 101, busySharePercent: 0, nvidiaSmi: '', stop: { kind: 'command' as const, argv: [] } };
    let refused: unknown;
    try {
      validateWatchdogConfig(bad);
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(RemoteGpuError);
    texts.push((refused as RemoteGpuError).message);
    expect(leaks(texts, ['nvidia-smi'])).toEqual([]);
  });

  it('the lifecycle words of every action', () => {
    const actions: LifecycleAction[] = ['stop', 'start', 'terminate', 'reboot'];
    const texts = (['lambda', 'runpod'] as const).flatMap((id) =>
      actions.flatMap((action) => {
        const w = lifecycleWording(action, { providerId: id, providerName: '云甲', capabilities: CAPS[id], instance: { id: '实例-1', name: '训练机', canStop: true } });
        return [w.progress, w.done, ...(w.confirm ? [w.confirm.message, w.confirm.detail, w.confirm.button] : [])];
      }),
    );
    expect(leaks(texts)).toEqual([]);
  });

  it('budget alerts of every period, scope and action; tree lines of every state; the status bar summary of every connection', () => {
    const summary = { todayMicros: 20_000_000, monthMicros: 200_000_000, burnMicrosPerHour: 0, projectedMonthMicros: 0, instances: [], byProvider: new Map([['runpod', { todayMicros: 20_000_000, monthMicros: 200_000_000 }]]) } as unknown as CostSummary;
    const budgets = (['all', 'runpod', 'ssh'] as const).flatMap((scope) => (['daily', 'monthly'] as const).map((period) => ({ period, scope, limitMicros: 10_000_000 })));
    const bySsh = { ...summary, byProvider: new Map([...summary.byProvider, ['ssh', { todayMicros: 20_000_000, monthMicros: 200_000_000 }]]) } as CostSummary;
    const texts = (['notify', 'stopStoppable', 'stopAllTerminateRest'] as const).flatMap((action) =>
      evaluateBudgets(bySsh, { budgets, thresholds: [0.8, 1], action }, { fired: [] }, Date.UTC(2026, 10, 23, 12), 0, (id) => (id === 'runpod' ? 'RunPod' : undefined)).effects.map((e) => e.message),
    );
    expect(texts.length).toBeGreaterThanOrEqual(12);
    const states: InstanceState[] = ['provisioning', 'booting', 'running', 'stopping', 'stopped', 'terminating', 'terminated', 'error', 'unknown'];
    const instance = (state: InstanceState): Instance => ({ provider: 'runpod', id: '1', name: '训练机', state, providerStatus: '', gpuModel: 'H100', gpuCount: 2, priceMicrosPerHour: 2_000_000, createdAt: 0 });
    texts.push(...states.map((st) => instanceDescription(instance(st), 3 * 3_600_000)), instanceDescription({ ...instance('running'), gpuCount: 0 }, 0));
    for (const c of ['connecting', 'live', 'stale', 'reconnecting', 'stopped']) {
      const s1 = summarizeGpus([{ utilizationGpu: 50, memoryUsedMiB: 1024, memoryTotalMiB: 81_920 } as never], c);
      const s0 = summarizeGpus([], c);
      texts.push(s1.text, s1.tooltip, s0.text, s0.tooltip);
    }
    expect(leaks(texts, ['RunPod'])).toEqual([]);
  });
});

describe('Recommend a GPU under a translator has no English left', () => {
  const PARTS: PartKey[] = ['weights', 'quantConstants', 'loraWeights', 'gradients', 'optimizer', 'masterWeights', 'activations', 'logits', 'kvCache', 'cudaContext', 'allocator'];

  it('part names and every rule of thumb', () => {
    const advice = [
      ...rulesOfThumb({ modelParallelGpus: 4, expectedHours: 10 }),
      ...rulesOfThumb({ expectedHours: 720, checkpointCadenceMinutes: 30 }),
      ...rulesOfThumb({ checkpointCadenceMinutes: 240, spotInterruptionMinutes: 120 }),
    ];
    expect(new Set(advice.map((a) => a.code)).size).toBe(7);
    expect(leaks([...PARTS.map(partLabel), ...describeAdvice(advice)])).toEqual([]);
  });

  it('every step, item, prompt and validation message of two whole runs (one GPU; split across several)', async () => {
    const names = ['Lambda Cloud', 'RunPod'];
    const region = { region: '区一' };
    const providers = () => [
      new FakeProvider('lambda', [offer('lambda', 'a', { gpuModel: 'A100', vramGiB: 80, vcpus: 30, memoryGiB: 200, priceMicrosPerHour: 1_290_000, ...region }), offer('lambda', 'b', { gpuModel: 'H100', gpuCount: 8, vramGiB: 80, priceMicrosPerHour: 23_920_000, ...region })]),
      new FakeProvider('runpod', [offer('runpod', 'c', { gpuModel: 'L40', vramGiB: 48, maxGpuCount: 8, spotPriceMicrosPerHour: 400_000, priceMicrosPerHour: 790_000, ...region }), offer('runpod', 'd', { gpuModel: 'A40', available: false, region: undefined, vramGiB: 48, priceMicrosPerHour: 350_000 })]),
    ];
    const texts: string[] = [];
    const record = (s: never) => {
      const step = s as PickStep<unknown> | InputStep;
      texts.push(step.title);
      if ('items' in step) {
        texts.push(step.placeholder);
        for (const i of step.items) texts.push(i.label, i.description ?? '', i.detail ?? '');
      } else {
        texts.push(step.prompt, step.validate('坏') ?? '', step.validate('0') ?? '');
      }
    };
    const pick = (value: unknown) => (s: never) => (record(s), value);
    const input = (value: string) => (s: never) => (record(s), value);
    for (const [size, workload] of [['7', 'full'], ['70', 'inference']] as const) {
      const ui = new ScriptedUi([
        ['model', pick('size')],
        ['model.size', input(size)],
        ['workload', pick(workload)],
        ['precision', pick('bf16')],
        ['batch', input('2')],
        ['sequence', input('4096')],
        ...(workload === 'inference' ? [] : [['checkpointing', pick(true)] as [string, (s: never) => unknown]]),
        ['offers', pick(undefined)],
      ]);
      expect((await runAdvisor({ ui, providers: async () => providers(), configFiles: async () => [] })).kind).toBe('cancelled');
      texts.push(...ui.progressLog);
    }
    expect(texts.some((x) => x.includes('$(info)')), 'the offers step was seen').toBe(true);
    expect(parseModelSize('70')).toBe(70e9);
    expect(leaks(texts, [...names, 'A100', 'H100', 'L40', 'A40'])).toEqual([]);
  });
});

describe('Provision under a translator has no English left', () => {
  /** Answers every step with its first real choice (a filter once, then Show), keeping every text it was shown. */
  class RecordingUi implements ProvisionUi {
    readonly texts: string[] = [];
    private filtered = false;
    async pick<T>(step: PickStep<T>): Promise<StepAnswer<T>> {
      this.texts.push(step.title, step.placeholder, ...step.items.flatMap((i) => [i.label, i.description ?? '', i.detail ?? '']));
      const values = step.items.map((i) => i.value as unknown);
      if (step.id === 'filters') {
        const next = this.filtered ? 'show' : 'gpuModel';
        this.filtered = true;
        return next as T;
      }
      return step.items.find((i) => (i.value as unknown) !== 'note')?.value ?? (values[0] as T);
    }
    async input(step: InputStep): Promise<StepAnswer<string>> {
      this.texts.push(step.title, step.prompt, step.validate('坏 名字;') ?? '', step.validate('') ?? '');
      return step.value;
    }
    async confirm(request: ConfirmRequest): Promise<StepAnswer<'confirm'>> {
      this.texts.push(request.message, request.detail, request.confirmLabel);
      return 'confirm';
    }
    async progress<T>(title: string, task: (p: { report(m: string): void }, signal: AbortSignal) => Promise<T>): Promise<T> {
      this.texts.push(title);
      return task({ report: (m) => this.texts.push(m) }, new AbortController().signal);
    }
    async inform(message: string, actions: readonly string[]): Promise<string | undefined> {
      this.texts.push(message, ...actions);
      return undefined;
    }
    async warn(message: string, actions: readonly string[]): Promise<string | undefined> {
      this.texts.push(message, ...actions);
      return undefined;
    }
  }

  it('every filter, offer, image, disk, key, name, confirmation, progress and outcome text of a whole launch', async () => {
    const region = { region: '区一' };
    const runpod = new FakeProvider('runpod', [offer('runpod', 'a', { gpuModel: 'H100', vramGiB: 80, maxGpuCount: 8, spotPriceMicrosPerHour: 1_500_000, priceMicrosPerHour: 2_690_000, ...region })]);
    const lambda = new FakeProvider('lambda', [offer('lambda', 'b', { gpuModel: 'A100', vramGiB: 40, priceMicrosPerHour: 1_290_000, ...region }), offer('lambda', 'c', { gpuModel: 'A100', available: false, region: undefined })]);
    const ui = new RecordingUi();
    const outcome = await runProvisionWizard(deps(ui, [runpod, lambda], new ScriptedProbe(1)));
    expect(outcome.kind).toBe('ready');
    expect(runpod.provisions.length + lambda.provisions.length).toBe(1);
    const data = ['Lambda Cloud', 'RunPod', 'A100', KEY.publicKeyPath, KEY.publicKey, 'remote-gpu-laptop', 'rgpu', 'PROVISIONING BOOTING RUNNING', 'root'];
    expect(leaks(ui.texts, data)).toEqual([]);
  });
});

