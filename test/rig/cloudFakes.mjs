// @ts-check
// The cloud half of the test world: the Lambda, RunPod, Vast.ai and EC2 fakes (test/fakes) whose running instances
// answer SSH on the world's simulator rig, each with one instance, and the endpoint settings
// that point the extension at them. API keys are NOT put in settings (they belong in SecretStorage): the suites set
// them through the Set API Key command, and the demo prints them for the user to paste.
import { startEc2Fake } from '../fakes/ec2Fake.mjs';
import { startLambdaFake } from '../fakes/lambdaFake.mjs';
import { startRunPodFake } from '../fakes/runpodFake.mjs';
import { startVastFake } from '../fakes/vastFake.mjs';

/**
 * @typedef {object} CloudInfo
 * @property {string} lambdaKey        the one key the Lambda fake accepts
 * @property {string} runpodKey
 * @property {string} lambdaInstance   name of the instance launched on the Lambda fake
 * @property {string} runpodPod        name of the pod created on the RunPod fake
 * @property {string} vastKey
 * @property {string} vastInstance     label of the instance rented on the Vast fake
 * @property {string} ec2Key           "ACCESS_KEY_ID:SECRET" as Set API Key stores it (the fake checks only the id)
 * @property {string} ec2Instance      Name tag of the instance running on the EC2 fake
 */

/**
 * @param {{ host: string, port: number, user: string, clientKeyPath: string }} rig where running instances answer SSH
 * @param {{ bootMs?: number }} [opts] how long a boot (and RunPod's provisioning) takes; short in tests, longer in the demo
 */
export async function startCloudFakes(rig, opts = {}) {
  const bootMs = opts.bootMs ?? 2_000;
  const sshEndpoint = { host: rig.host, port: rig.port, user: rig.user };
  /** @type {Array<{ stop: () => Promise<void> }>} */
  const started = [];
  const stop = async () => {
    for (const s of started) await s.stop().catch(() => undefined);
  };
  try {
    const lambda = await startLambdaFake({ sshEndpoint, timings: { bootMs, terminateMs: bootMs } });
    started.push(lambda);
    const runpod = await startRunPodFake({ sshEndpoint, timings: { provisionMs: bootMs / 2, bootMs: bootMs / 2 } });
    started.push(runpod);
    const vast = await startVastFake({ sshEndpoint, timings: { provisionMs: bootMs / 2, bootMs: bootMs / 2, stopMs: bootMs / 2, scheduleMs: bootMs / 2 } });
    started.push(vast);
    const ec2 = await startEc2Fake({ sshEndpoint, timings: { bootMs, stopMs: bootMs, terminateMs: bootMs } });
    started.push(ec2);
    /** @type {CloudInfo} */
    const info = {
      lambdaKey: lambda.apiKey,
      runpodKey: runpod.apiKey,
      lambdaInstance: 'demo-h100x8',
      runpodPod: 'demo-rtx4090',
      vastKey: vast.apiKey,
      vastInstance: 'demo-vast-4090',
      ec2Key: `${ec2.credentials.accessKeyId}:${ec2.credentials.secretAccessKey}`,
      ec2Instance: 'demo-g5',
    };
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
    // Offer 21874512 is the fixture's RTX 4090 (test/fixtures/providers/vast/search-offers.json).
    await call(`${vast.url}/api/v0/asks/21874512/`, vast.apiKey, { image: 'pytorch/pytorch:demo', disk: 40, label: info.vastInstance }, 'PUT');
    // EC2 needs SigV4 to launch; the fake checks only the credential's key id, so the instance is placed in its state
    // directly, tagged as one Remote GPU launched (the provider lists only those).
    const now = Date.now();
    const id = 'i-0demo5eed0000001';
    ec2.state.instances.set(id, {
      id,
      type: 'g5.xlarge',
      imageId: 'ami-0123456789abcdef0',
      keyName: 'demo',
      tags: [['remote-gpu', 'true'], ['Name', info.ec2Instance]],
      spot: false,
      az: 'us-east-1a',
      launchTime: now - 3_600_000,
      phase: 'running',
      since: now,
      clientToken: '',
    });
    /** @type {Record<string, unknown>} */
    const settings = {
      'remoteGpu.providers.lambda.endpoint': lambda.baseUrl,
      // Lambda reports only an address; the fake's instances answer on the rig's port as the rig's user.
      'remoteGpu.providers.lambda.sshPort': rig.port,
      'remoteGpu.providers.lambda.sshUser': rig.user,
      'remoteGpu.providers.runpod.endpoint': runpod.url,
      'remoteGpu.providers.vast.endpoint': vast.url,
      'remoteGpu.providers.ec2.endpoint': ec2.url,
      'remoteGpu.providers.ec2.pricingEndpoint': ec2.url,
      'remoteGpu.providers.ec2.region': ec2.region,
      'remoteGpu.providers.ec2.sshPort': rig.port,
      'remoteGpu.providers.ec2.sshUser': rig.user,
      'remoteGpu.providers.sshIdentityFile': rig.clientKeyPath,
    };
    return { lambda, runpod, vast, ec2, info, settings, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** @param {string} url @param {string} key @param {unknown} [body] @param {string} [method] */
async function call(url, key, body, method) {
  const res = await globalThis.fetch(url, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}
