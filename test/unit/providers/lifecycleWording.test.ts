import { describe, expect, it } from 'vitest';
import { lambdaCapabilities } from '../../../src/providers/lambda/provider';
import { runpodCapabilities } from '../../../src/providers/runpod/provider';
import { vastCapabilities } from '../../../src/providers/vast/provider';
import { ec2Capabilities } from '../../../src/providers/awsEc2/provider';
import type { ProviderCapabilities } from '../../../src/core/providers/capabilities';
import type { ProviderId } from '../../../src/core/providers/providerId';
import { availableActions, isSettled, lifecycleWording, type LifecycleSubject } from '../../../src/core/providers/lifecycleWording';

const subject = (providerId: ProviderId, providerName: string, capabilities: ProviderCapabilities): LifecycleSubject => ({
  providerId,
  providerName,
  capabilities,
  instance: { id: 'i-1', name: 'train' },
});
const lambda = subject('lambda', 'Lambda Cloud', lambdaCapabilities);
const runpod = subject('runpod', 'RunPod', runpodCapabilities);
const vast = subject('vast', 'Vast.ai', vastCapabilities);
const ec2 = subject('ec2', 'AWS EC2', ec2Capabilities);

describe('availableActions', () => {
  it('never offers stop or start on Lambda, which has no stop', () => {
    expect(availableActions('running', lambdaCapabilities)).toEqual(['reboot', 'terminate']);
  });

  it('offers stop while running and start while stopped where the provider can stop', () => {
    expect(availableActions('running', runpodCapabilities)).toEqual(['stop', 'reboot', 'terminate']);
    expect(availableActions('stopped', runpodCapabilities)).toEqual(['start', 'terminate']);
    expect(availableActions('running', ec2Capabilities)).toEqual(['stop', 'terminate']);
  });

  it('a one-time EC2 spot instance offers no stop or start, and its terminate modal says so', () => {
    expect(availableActions('running', ec2Capabilities, false)).toEqual(['terminate']);
    const words = lifecycleWording('terminate', { ...subject('ec2', 'AWS EC2', ec2Capabilities), instance: { id: 'i-1', name: 'spot', canStop: false } });
    expect(words.confirm?.detail).toContain('This instance cannot be stopped (a one-time spot instance)');
    expect(words.confirm?.detail).not.toContain('use Stop instead');
  });

  it('offers nothing on an instance already going away', () => {
    expect(availableActions('terminating', runpodCapabilities)).toEqual([]);
    expect(availableActions('terminated', lambdaCapabilities)).toEqual([]);
  });
});

describe('lifecycleWording', () => {
  it('terminate says the disk is lost for good and, where there is no stop, that it is the only way to end billing', () => {
    const w = lifecycleWording('terminate', lambda);
    expect(w.confirm?.button).toBe('Terminate');
    expect(w.confirm?.detail).toMatch(/disk are deleted for good/);
    expect(w.confirm?.detail).toMatch(/Lambda Cloud has no stop/);
    expect(lifecycleWording('terminate', runpod).confirm?.detail).toMatch(/use Stop instead/);
  });

  it('stop on RunPod names the volume that keeps billing and warns the GPU may not come back', () => {
    const d = lifecycleWording('stop', runpod).confirm?.detail ?? '';
    expect(d).toMatch(/still bills the pod's volume disk/);
    expect(d).toMatch(/GPU may not come back/);
  });

  it('stop on EC2 names EBS and does not warn about the GPU; Vast warns about the GPU', () => {
    const d = lifecycleWording('stop', ec2).confirm?.detail ?? '';
    expect(d).toMatch(/EBS/);
    expect(d).not.toMatch(/GPU may not come back/);
    expect(lifecycleWording('stop', vast).confirm?.detail).toMatch(/GPU may not come back/);
  });

  it('start needs no confirmation; its result on RunPod asks the user to check the GPUs', () => {
    expect(lifecycleWording('start', runpod).confirm).toBeUndefined();
    expect(lifecycleWording('start', runpod).done).toMatch(/fewer/);
    expect(lifecycleWording('start', ec2).done).not.toMatch(/fewer/);
  });

  it('uses the id when the instance has no name', () => {
    expect(lifecycleWording('reboot', { ...lambda, instance: { id: 'abc', name: '' } }).progress).toBe('Rebooting "abc" on Lambda Cloud...');
  });
});

describe('isSettled', () => {
  it('waits for the state the action leads to', () => {
    expect(isSettled('stop', 'stopping')).toBe(false);
    expect(isSettled('stop', 'stopped')).toBe(true);
    expect(isSettled('start', 'booting')).toBe(false);
    expect(isSettled('terminate', 'terminated')).toBe(true);
  });
});
