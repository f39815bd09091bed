import type { CloudProvider } from '../../core/providers/provider';
import type { ProviderDeps } from '../../core/providers/providerDeps';
import type { ProviderId } from '../../core/providers/providerId';
import { LambdaProvider } from '../../providers/lambda/provider';
import { RunPodProvider } from '../../providers/runpod/provider';
import { VastProvider } from '../../providers/vast/provider';
import type { ProviderSettings } from './providerSettings';

/**
 * Builds one provider client from its settings. EC2 is loaded with a dynamic import: its AWS SDK is most of the
 * bundle's weight and esbuild keeps a dynamically imported module's code unevaluated until first use (build.mjs
 * puts the SDK in a file of its own), so activation never pays for it unless an EC2 key is set.
 */
export async function createProvider(id: ProviderId, deps: ProviderDeps, settings: ProviderSettings): Promise<CloudProvider> {
  switch (id) {
    case 'lambda': {
      const s = settings.lambda;
      return new LambdaProvider(deps, { ...(s.endpoint ? { baseUrl: s.endpoint } : {}), ssh: { port: s.sshPort, user: s.sshUser } });
    }
    case 'runpod':
      return new RunPodProvider(deps, settings.runpod.endpoint ? { endpoint: settings.runpod.endpoint } : {});
    case 'vast':
      return new VastProvider(deps, settings.vast.endpoint ? { endpoint: settings.vast.endpoint } : {});
    case 'ec2': {
      const { Ec2Provider } = await import('../../providers/awsEc2/provider');
      const s = settings.ec2;
      return new Ec2Provider(deps, {
        region: s.region,
        ...(s.endpoint ? { endpoint: s.endpoint } : {}),
        ...(s.pricingEndpoint ? { pricingEndpoint: s.pricingEndpoint } : {}),
        ...(s.imageId ? { imageId: s.imageId } : {}),
        ...(s.sshUser ? { sshUser: s.sshUser } : {}),
        ...(s.sshPort ? { sshPort: s.sshPort } : {}),
      });
    }
  }
}
