import * as vscode from 'vscode';
import { RemoteGpuError } from '../../core/errors';
import type { HttpFetch } from '../../core/http/httpFetch';
import type { Logger } from '../../core/logger';
import type { CloudProvider } from '../../core/providers/provider';
import type { ProviderDeps } from '../../core/providers/providerDeps';
import type { ProviderId } from '../../core/providers/providerId';
import { createNodeHttpFetch } from '../../remote/http/nodeHttpFetch';
import { nodeSleep, systemClock, systemRandom } from '../../remote/http/nodeTimers';
import { createProvider } from './providerFactory';
import { PROVIDERS, PROVIDERS_SECTION, providerDisplayName, readProviderSettings, type ProviderSettings } from './providerSettings';

export interface ProviderInfo {
  readonly id: ProviderId;
  readonly displayName: string;
  /** An API key is stored for it. */
  readonly configured: boolean;
}

export interface ProviderRegistryDeps {
  readonly secrets: vscode.SecretStorage;
  readonly logger: Logger;
  /** Real HTTP unless a test swaps it. */
  readonly http?: HttpFetch;
  readonly readSettings?: () => ProviderSettings;
}

/** The SecretStorage key of a provider's API key. Keys live there only: never in settings, never in the log. */
export function secretKeyOf(id: ProviderId): string {
  return `remoteGpu.apiKey.${id}`;
}

/**
 * The cloud providers of this window: which have a key, and one client per provider built from the endpoint
 * settings. Clients read their key from SecretStorage per request, so a changed key needs no rebuild; a changed
 * endpoint does, and `onDidChange` tells the tree and the wizards either way.
 */
export class ProviderRegistry implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ProviderId | undefined>();
  /** Fires with the provider whose key changed, or undefined when endpoint settings changed (every provider). */
  readonly onDidChange = this.changed.event;
  private readonly clients = new Map<ProviderId, Promise<CloudProvider>>();
  private readonly subscriptions: vscode.Disposable[];
  private readonly http: HttpFetch;
  private readonly readSettings: () => ProviderSettings;

  constructor(private readonly deps: ProviderRegistryDeps) {
    this.http = deps.http ?? createNodeHttpFetch();
    this.readSettings = deps.readSettings ?? readProviderSettings;
    this.subscriptions = [
      deps.secrets.onDidChange((e) => {
        const id = PROVIDERS.find((p) => secretKeyOf(p.id) === e.key)?.id;
        if (id) this.changed.fire(id);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(PROVIDERS_SECTION)) return;
        this.clients.clear();
        this.changed.fire(undefined);
      }),
    ];
  }

  /** Every provider, configured or not, in tree order. Reads SecretStorage only; loads no provider module. */
  async all(): Promise<ProviderInfo[]> {
    return Promise.all(PROVIDERS.map(async (p) => ({ ...p, configured: await this.hasKey(p.id) })));
  }

  /** The providers whose key is set, as clients. */
  async configured(): Promise<CloudProvider[]> {
    const infos = (await this.all()).filter((p) => p.configured);
    return Promise.all(infos.map((p) => this.get(p.id)));
  }

  /** The client for one provider (built once per endpoint settings). Calls reject with 'auth' while no key is set. */
  get(id: ProviderId): Promise<CloudProvider> {
    let client = this.clients.get(id);
    if (!client) {
      client = createProvider(id, this.providerDeps(id, () => this.storedKey(id)), this.readSettings());
      // A failed build (EC2's module failing to load) is not cached: the next ask tries again.
      client.catch(() => this.clients.delete(id));
      this.clients.set(id, client);
    }
    return client;
  }

  /** A throwaway client that uses `key` instead of the stored one: for checking a key before it is stored. */
  withKey(id: ProviderId, key: string): Promise<CloudProvider> {
    return createProvider(id, this.providerDeps(id, async () => key), this.readSettings());
  }

  async hasKey(id: ProviderId): Promise<boolean> {
    return Boolean(await this.deps.secrets.get(secretKeyOf(id)));
  }

  async storeKey(id: ProviderId, key: string): Promise<void> {
    await this.deps.secrets.store(secretKeyOf(id), key);
    this.deps.logger.info(`${id}: API key stored`);
  }

  async removeKey(id: ProviderId): Promise<void> {
    await this.deps.secrets.delete(secretKeyOf(id));
    this.deps.logger.info(`${id}: API key removed`);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private async storedKey(id: ProviderId): Promise<string> {
    const key = await this.deps.secrets.get(secretKeyOf(id));
    if (!key) throw new RemoteGpuError('auth', vscode.l10n.t('No API key is set for {0}. Run "Remote GPU: Set API Key...".', providerDisplayName(id)));
    return key;
  }

  private providerDeps(id: ProviderId, apiKey: () => Promise<string>): ProviderDeps {
    return { http: this.http, apiKey, clock: systemClock, sleep: nodeSleep, random: systemRandom, logger: this.deps.logger.child(id) };
  }
}
