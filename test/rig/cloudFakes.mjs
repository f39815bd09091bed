// @ts-check
// The cloud half of the test world: the Lambda and RunPod fakes (test/fakes) whose running instances answer SSH on
// the world's simulator rig, each with one instance launched through its own HTTP API, and the endpoint settings
// that point the extension at them. API keys are NOT put in settings (they belong in SecretStorage): the suites set
// them through the Set API Key command, and the demo prints them for the user to paste.
import { startLambdaFake } from '../fakes/lambdaFake.mjs';
import { startRunPodFake } from '../fakes/runpodFake.mjs';

/**
 * @typedef {object} CloudInfo
 * @property {string} lambdaKey        the one key the Lambda fake accepts
 * @property {string} runpodKey
 * @property {string} lambdaInstance   name of the instance launched on the Lambda fake
 * @property {string} runpodPod        name of the pod created on the RunPod fake
 */

/**
 * @param {{ host: string, port: number, user: string, clientKeyPath: string }} rig where running instances answer SSH
 * @param {{ bootMs?: number }} [opts] how long a boot (and RunPod's provisioning) takes; short in tests, longer in the demo
 */
export async function startCloudFakes(rig, opts = {}) {
  const bootMs = opts.bootMs ?? 2_000;
  const sshEndpoint = { host: rig.host, port: rig.port, user: rig.user };
  const lambda = await startLambdaFake({ sshEndpoint, timings: { bootMs, terminateMs: bootMs } });
  const runpod = await startRunPodFake({ sshEndpoint, timings: { provisionMs: bootMs / 2, bootMs: bootMs / 2 } }).catch(async (e) => {
    await lambda.stop();
    throw e;
  });
  const stop = async () => {
    await lambda.stop().catch(() => undefined);
    await runpod.stop().catch(() => undefined);
  };
  try {
    /** @type {CloudInfo} */
    const info = { lambdaKey: lambda.apiKey, runpodKey: runpod.apiKey, lambdaInstance: 'demo-h100x8', runpodPod: 'demo-rtx4090' };
    // Launched through the APIs, as a user of the provider would, so the fakes' own validation applies.
    const keys = /** @type {{ data: { name: string }[] }} */ (await call(`${lambda.baseUrl}/ssh-keys`, lambda.apiKey));
    const keyName = keys.data[0]?.name;
    if (!keyName) throw new Error('the Lambda fake lists no SSH key');
    await call(`${lambda.baseUrl}/instance-operations/launch`, lambda.apiKey, {
      region_name: 'us-south-2',
      instance_type_name: 'gpu_8x_h100_sxm5',
      ssh_key_names: [keyName],
      name: info.lambdaInstance,
    });
    await call(`${runpod.url}/v2/pods`, runpod.apiKey, { name: info.runpodPod, image: 'runpod/pytorch:demo', gpu: { id: 'NVIDIA GeForce RTX 4090', count: 1 } });
    /** @type {Record<string, unknown>} */
    const settings = {
      'remoteGpu.providers.lambda.endpoint': lambda.baseUrl,
      // Lambda reports only an address; the fake's instances answer on the rig's port as the rig's user.
      'remoteGpu.providers.lambda.sshPort': rig.port,
      'remoteGpu.providers.lambda.sshUser': rig.user,
      'remoteGpu.providers.runpod.endpoint': runpod.url,
      'remoteGpu.providers.sshIdentityFile': rig.clientKeyPath,
    };
    return { lambda, runpod, info, settings, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** @param {string} url @param {string} key @param {unknown} [body] */
async function call(url, key, body) {
  const res = await globalThis.fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}
