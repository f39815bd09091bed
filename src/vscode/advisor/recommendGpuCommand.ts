import * as vscode from 'vscode';
import type { AdvisorOutcome, ConfigFile } from '../../core/advisor/advisorFlow';
import { runAdvisor } from '../../core/advisor/advisorFlow';
import { RemoteGpuError } from '../../core/errors';
import type { CloudProvider } from '../../core/providers/provider';
import type { ProvisionUi } from '../../core/provisioning/provisionUi';
import { createQuickInputUi } from '../provisioning/quickInputUi';

/** A config.json bigger than this is not a model config (a dataset, a tokenizer dump): not read. */
const MAX_CONFIG_BYTES = 1_000_000;
const CONFIG_GLOB = '**/config.json';
const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.venv/**,**/site-packages/**}';

export interface RecommendDeps {
  readonly configured: () => Promise<readonly CloudProvider[]>;
  readonly ui?: ProvisionUi;
}

/** The workspace's config.json files (at most 50), each read only when chosen. */
async function workspaceConfigs(): Promise<ConfigFile[]> {
  const uris = await vscode.workspace.findFiles(CONFIG_GLOB, EXCLUDE, 50);
  return uris
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((uri) => ({
      label: vscode.workspace.asRelativePath(uri),
      read: async (): Promise<unknown> => {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.size > MAX_CONFIG_BYTES) throw new RemoteGpuError('config', vscode.l10n.t('This file is too large to be a model config.'));
        try {
          return JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))) as unknown;
        } catch (e) {
          throw new RemoteGpuError('config', vscode.l10n.t('This file is not valid JSON.'), String(e));
        }
      },
    }));
}

/** `remoteGpu.recommendGpu`: the advisor on its own, or from the provisioning flow (which then goes on with the offer). */
export function recommendGpu(deps: RecommendDeps): Promise<AdvisorOutcome> {
  return runAdvisor({ ui: deps.ui ?? createQuickInputUi(), providers: deps.configured, configFiles: workspaceConfigs });
}
