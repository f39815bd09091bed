import { describe, expect, it } from 'vitest';
import type { ProviderCapabilities } from '../providers/capabilities';
import type { HostSample } from '../telemetry/sampleGrouper';
import { observationFromSample } from './fromTelemetry';
import { planBudgetStop, planStop, watchdogStopFor } from './stopAction';

const caps = (canStop: boolean): ProviderCapabilities => ({
  canStop, stopKeepsBilling: 'disk', gpuMayNotReturnOnStart: false, canRestart: true, hasSpot: false, sshKeys: 'account', hostKeyFingerprints: false, terminateErasesDisk: true,
});

describe('which stop', () => {
  it('stops where it can, terminates only with the opt-in, SSH hosts only with a command', () => {
    expect(planStop({ kind: 'instance', provider: 'runpod', capabilities: caps(true), terminateOptIn: true }).action).toBe('stop');
    expect(planStop({ kind: 'instance', provider: 'lambda', capabilities: caps(false), terminateOptIn: false }).action).toBe('none');
    expect(planStop({ kind: 'instance', provider: 'lambda', capabilities: caps(false), terminateOptIn: true }).action).toBe('terminate');
    expect(planStop({ kind: 'sshHost' }).action).toBe('none');
    expect(planStop({ kind: 'sshHost', stopCommand: ['sudo', 'poweroff'] })).toMatchObject({ action: 'command', argv: ['sudo', 'poweroff'] });
  });

  it('a budget at 100 % stops what can stop and terminates the rest only when told to', () => {
    const lambda = { kind: 'instance', provider: 'lambda', capabilities: caps(false), terminateOptIn: false } as const;
    const runpod = { kind: 'instance', provider: 'runpod', capabilities: caps(true), terminateOptIn: false } as const;
    expect(planBudgetStop('stopStoppable', lambda).action).toBe('none');
    expect(planBudgetStop('stopAllTerminateRest', lambda).action).toBe('terminate');
    expect(planBudgetStop('stopAllTerminateRest', runpod).action).toBe('stop');
    expect(planBudgetStop('stopAllTerminateRest', { kind: 'sshHost' }).action).toBe('none');
  });

  it('the watchdog needs no account key: Lambda only reports', () => {
    expect(watchdogStopFor({ kind: 'instance', provider: 'ec2', capabilities: caps(true), terminateOptIn: false })).toEqual({ kind: 'shutdown' });
    expect(watchdogStopFor({ kind: 'instance', provider: 'vast', capabilities: caps(true), terminateOptIn: false })).toEqual({ kind: 'vast' });
    expect(watchdogStopFor({ kind: 'instance', provider: 'lambda', capabilities: caps(false), terminateOptIn: true })).toEqual({ kind: 'none' });
  });
});

describe('telemetry to observation', () => {
  const gpu = (i: number, util?: number) => ({ t: 0, index: i, uuid: `GPU-${i}`, name: 'H100', pstate: 'P0', metrics: { utilizationGpu: util, memoryUsedMiB: 3737 } });
  it('utilisation only; a missing GPU or reading is cannot-measure', () => {
    const s = (gpus: HostSample['gpus'], partial = false): HostSample => ({ t: 0, gpus, partial });
    expect(observationFromSample(s([gpu(0, 0), gpu(1, 97)]))).toEqual({ kind: 'gpuSample', utilisationPercent: [0, 97] });
    expect(observationFromSample(s([gpu(0, 0)], true)).kind).toBe('gpuUnavailable');
    expect(observationFromSample(s([gpu(0)])).kind).toBe('gpuUnavailable');
    expect(observationFromSample(s([])).kind).toBe('gpuUnavailable');
  });
});
