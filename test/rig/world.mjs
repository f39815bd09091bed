// @ts-check
// The whole test world for the extension host: loopback sshd rigs (one with the nvidia-smi simulator on PATH, one
// without it, one whose known_hosts entry is wrong) and a throwaway HOME whose ssh config names them.
// Used by the in-host suites (test/vscode), the UI test (test/e2e) and the demo (scripts/demo.mjs).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCloudFakes } from './cloudFakes.mjs';
import { makeHome, randomEd25519PublicKey } from './home.mjs';
import { startSshd } from './sshd.mjs';

export const SIMULATOR_BIN = fileURLToPath(new URL('./nvidia-smi/bin', import.meta.url));

export const ALIASES = Object.freeze({
  gpu: 'rig-gpu',
  included: 'rig-included',
  noSmi: 'rig-no-nvidia-smi',
  badKey: 'rig-changed-key',
  settings: 'settings-gpu',
});

/**
 * @typedef {object} World
 * @property {string} root           temp folder holding home, code-server data and scratch files
 * @property {string} home           the throwaway HOME
 * @property {string} scratchDir
 * @property {import('./sshd.mjs').SshdRig} gpuRig
 * @property {Record<string, unknown>} settings  user settings for code-server (remoteGpu.sshHosts)
 * @property {import('../vscode/suite/env').RigInfo} rigInfo
 * @property {import('./cloudFakes.mjs').CloudInfo | undefined} cloud  the cloud fakes' keys and instances (absent with clouds: false)
 * @property {() => Promise<void>} stop
 */

/**
 * @param {{ gpus?: number, speedup?: number, full?: boolean, keep?: boolean, clouds?: boolean, cloudBootMs?: number }} [opts]
 *   full: also start the no-nvidia-smi and changed-key rigs (the in-host suites need them; the demo does not).
 *   clouds: start the Lambda and RunPod fakes with one instance each on the simulator rig (default true).
 * @returns {Promise<World>}
 */
export async function startWorld(opts = {}) {
  const gpus = opts.gpus ?? 2;
  const root = mkdtempSync(path.join(os.tmpdir(), 'rgpu-world-'));
  const scratchDir = path.join(root, 'scratch');
  mkdirSync(scratchDir, { recursive: true });
  /** @type {Array<{ stop: () => Promise<void> }>} */
  const started = [];
  const stopAll = async () => {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    if (!opts.keep) rmSync(root, { recursive: true, force: true });
  };
  try {
    const simEnv = { NVIDIA_SMI_SIM_GPUS: String(gpus), NVIDIA_SMI_SIM_SPEEDUP: String(opts.speedup ?? 1) };
    // Only the simulator rig's GPUs can be made quiet at runtime (write `idle` / `trace`, test/rig/nvidia-smi README).
    const gpuSimControl = path.join(root, 'gpu-sim-control');
    const gpuRig = await startSshd({ binDirs: [SIMULATOR_BIN], env: { ...simEnv, NVIDIA_SMI_SIM_CONTROL: gpuSimControl } });
    started.push(gpuRig);
    /** @type {import('./home.mjs').HostEntry[]} */
    const hosts = [
      { alias: ALIASES.gpu, hostName: gpuRig.host, port: gpuRig.port, user: gpuRig.user, identityFile: gpuRig.clientKeyPath },
      { alias: ALIASES.included, hostName: gpuRig.host, port: gpuRig.port, user: gpuRig.user, identityFile: gpuRig.clientKeyPath, file: 'include' },
    ];
    /** @type {import('./home.mjs').KnownHost[]} */
    const knownHosts = [{ host: gpuRig.host, port: gpuRig.port, publicKey: gpuRig.hostPublicKey }];
    let badKeyLog = '';
    if (opts.full) {
      const noSmi = await startSshd({});
      started.push(noSmi);
      const badKey = await startSshd({ binDirs: [SIMULATOR_BIN], env: simEnv });
      started.push(badKey);
      badKeyLog = badKey.logPath;
      hosts.push(
        { alias: ALIASES.noSmi, hostName: noSmi.host, port: noSmi.port, user: noSmi.user, identityFile: noSmi.clientKeyPath },
        { alias: ALIASES.badKey, hostName: badKey.host, port: badKey.port, user: badKey.user, identityFile: badKey.clientKeyPath },
      );
      knownHosts.push(
        { host: noSmi.host, port: noSmi.port, publicKey: noSmi.hostPublicKey },
        // Same host and port, a different key: what a re-imaged (or impersonated) machine looks like.
        { host: badKey.host, port: badKey.port, publicKey: randomEd25519PublicKey() },
      );
    }
    const home = makeHome({ root: path.join(root, 'home'), hosts, knownHosts });
    const clouds = opts.clouds === false ? undefined : await startCloudFakes(gpuRig, { bootMs: opts.cloudBootMs ?? 2_000 });
    if (clouds) started.push(clouds);
    const settings = {
      ...(clouds?.settings ?? {}),
      'remoteGpu.sshHosts': [
        { name: ALIASES.settings, host: gpuRig.host, port: gpuRig.port, user: gpuRig.user, identityFile: gpuRig.clientKeyPath, pricePerHour: 2.49 },
      ],
    };
    return {
      root,
      home: home.home,
      scratchDir,
      gpuRig,
      settings,
      cloud: clouds?.info,
      rigInfo: {
        ...(clouds ? { cloud: clouds.info } : {}),
        gpuHost: ALIASES.gpu,
        gpuCount: gpus,
        gpuSshdLog: gpuRig.logPath,
        gpuSimControl,
        includedHost: ALIASES.included,
        settingsHost: ALIASES.settings,
        noSmiHost: ALIASES.noSmi,
        badKeyHost: ALIASES.badKey,
        badKeySshdLog: badKeyLog,
        wildcardPatterns: home.wildcardPatterns,
        scratchDir,
      },
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
