import type { Candidate } from '../../core/provisioning/offerFilter';
import { nodeSleep, systemClock } from '../../remote/http/nodeTimers';
import { poolSshProbe } from '../../remote/sshReadyProbe';
import { recommendGpu } from '../advisor/recommendGpuCommand';
import { ScriptableUi } from '../advisor/scriptableUi';
import { guardStop } from '../checkpoints/stopGuard';
import { removeApiKey, setApiKey } from '../providers/apiKeyCommands';
import { runLifecycle } from '../providers/lifecycleCommands';
import { Prompts } from '../providers/prompts';
import { provisionCommand, type ProvisionCommandDeps } from '../provisioning/provisionCommand';
import type { InstanceNode } from '../tree/nodes';
import type { Runtime } from './runtime';
import type { Views } from './views';

export type CommandTable = Record<string, (...args: unknown[]) => unknown>;

/**
 * Save-before-stop (issue 6) for a stop or terminate of an instance: asks when a person is there, decides alone when
 * `unattended` (auto-stop). Shared by the lifecycle commands and auto-stop so both hold back the same cases.
 */
export function beforeStopOf(rt: Runtime, prompts: Prompts, unattended: boolean) {
  return (node: InstanceNode, action: 'stop' | 'terminate'): Promise<boolean> =>
    node.host
      ? guardStop(
          { connection: (h) => rt.ssh.pool.get(h), state: rt.context.globalState, prompts, logger: rt.logger.child('checkpoints') },
          node.host,
          action,
          node.instance.name || node.instance.id,
          unattended ? { unattended: true } : undefined,
        )
      : Promise.resolve(true);
}

/** API keys, lifecycle (stop/start/reboot/terminate), Provision and the GPU advisor. */
export function wireCloudCommands(rt: Runtime, views: Views): { prompts: Prompts; quickInput: ScriptableUi; commands: CommandTable } {
  const { providers, logger } = rt;
  const { tree } = views;
  const prompts = new Prompts();
  const keyDeps = { registry: providers, prompts, logger: logger.child('keys') };
  const lifecycle = { providers, tree, prompts, logger: logger.child('lifecycle'), forgetHost: rt.forgetHost, beforeStop: beforeStopOf(rt, prompts, false) };
  // One quick-input port for the advisor and Provision, so a suite can follow the advisor's choice into Provision.
  const quickInput = new ScriptableUi();
  // The advisor's chosen offer, or undefined when it was cancelled: Provision goes on from it.
  const recommendOffer = async (): Promise<Candidate | undefined> => {
    const outcome = await recommendGpu({ configured: () => providers.configured(), ui: quickInput });
    return outcome.kind === 'chosen' ? outcome.candidate : undefined;
  };
  const provisionDeps: ProvisionCommandDeps = {
    configured: () => providers.configured(),
    // ssh.pool is read per attempt: a settings change rebuilds the pool while a launch may be waiting.
    sshProbe: { attempt: (target, signal) => poolSshProbe(rt.ssh.pool).attempt(target, signal) },
    logger: logger.child('provision'),
    clock: systemClock,
    sleep: nodeSleep,
    hosts: rt.instanceHosts,
    refresh: (id) => tree.refreshProvider(id),
    connectCommand: 'remoteGpu.connect',
    recommend: recommendOffer,
    ui: quickInput,
  };
  const commands: CommandTable = {
    'remoteGpu.setApiKey': (arg) => setApiKey(keyDeps, arg),
    'remoteGpu.removeApiKey': (arg) => removeApiKey(keyDeps, arg),
    'remoteGpu.stopInstance': (arg) => runLifecycle(lifecycle, 'stop', arg),
    'remoteGpu.startInstance': (arg) => runLifecycle(lifecycle, 'start', arg),
    'remoteGpu.terminateInstance': (arg) => runLifecycle(lifecycle, 'terminate', arg),
    'remoteGpu.rebootInstance': (arg) => runLifecycle(lifecycle, 'reboot', arg),
    'remoteGpu.provision': (arg) => provisionCommand(provisionDeps, arg),
    'remoteGpu.recommendGpu': async () => {
      const candidate = await recommendOffer();
      if (candidate) await provisionCommand(provisionDeps, undefined, candidate);
    },
  };
  return { prompts, quickInput, commands };
}
