import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudProvider } from '../../../src/core/providers/provider';
import { Ec2Provider } from '../../../src/providers/awsEc2/provider';
import { LambdaProvider } from '../../../src/providers/lambda/provider';
import { RunPodProvider } from '../../../src/providers/runpod/provider';
import { VastProvider } from '../../../src/providers/vast/provider';
import { startCloudFakes } from '../../rig/cloudFakes.mjs';
import { depsFor } from './harness';

type Clouds = Awaited<ReturnType<typeof startCloudFakes>>;

/**
 * The demo's and the code-server suites' cloud world (test/rig/cloudFakes.mjs), read back through the real provider
 * clients configured exactly as its settings configure the extension: one running instance per provider, with an SSH
 * endpoint on the rig. No sshd is needed to list; the rig address is only reported.
 */
describe('cloud fakes of the test world', () => {
  const rig = { host: '127.0.0.1', port: 2222, user: 'rig-user', clientKeyPath: '/nonexistent/key' };
  let clouds: Clouds;

  beforeAll(async () => {
    clouds = await startCloudFakes(rig, { bootMs: 200 });
  });
  afterAll(async () => clouds?.stop());

  function clients(): Record<string, CloudProvider> {
    const s = clouds.settings as Record<string, string | number>;
    return {
      lambda: new LambdaProvider(depsFor(clouds.info.lambdaKey), { baseUrl: String(s['remoteGpu.providers.lambda.endpoint']), ssh: { port: rig.port, user: rig.user } }),
      runpod: new RunPodProvider(depsFor(clouds.info.runpodKey), { endpoint: String(s['remoteGpu.providers.runpod.endpoint']) }),
      vast: new VastProvider(depsFor(clouds.info.vastKey), { endpoint: String(s['remoteGpu.providers.vast.endpoint']) }),
      ec2: new Ec2Provider(depsFor(clouds.info.ec2Key), {
        region: String(s['remoteGpu.providers.ec2.region']),
        endpoint: String(s['remoteGpu.providers.ec2.endpoint']),
        pricingEndpoint: String(s['remoteGpu.providers.ec2.pricingEndpoint']),
        sshUser: rig.user,
        sshPort: rig.port,
      }),
    };
  }

  it('has one running instance per provider, named as the world says, with SSH on the rig', async () => {
    await new Promise((r) => setTimeout(r, 400));
    const names: Record<string, string> = { lambda: clouds.info.lambdaInstance, runpod: clouds.info.runpodPod, vast: clouds.info.vastInstance, ec2: clouds.info.ec2Instance };
    for (const [id, client] of Object.entries(clients())) {
      const list = await client.listInstances();
      expect(list.map((i) => i.name), id).toEqual([names[id]]);
      expect(list[0]?.state, id).toBe('running');
      expect(list[0]?.ssh?.host, id).toBe(rig.host);
      expect(list[0]?.ssh?.port, id).toBe(rig.port);
      expect(list[0]?.gpuCount, id).toBeGreaterThan(0);
    }
  });

  it('puts endpoints in settings but never a key', () => {
    const text = JSON.stringify(clouds.settings);
    for (const key of [clouds.info.lambdaKey, clouds.info.runpodKey, clouds.info.vastKey, clouds.info.ec2Key]) expect(text).not.toContain(key);
  });
});
