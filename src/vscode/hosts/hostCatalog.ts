import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { SshHost } from '../../core/hosts/sshHost';
import { hostsFromSettings } from '../../core/hosts/settingsHosts';
import type { Logger } from '../../core/logger';
import { managedConfigPath } from '../../remote/managedSshConfig';
import { expandPath, loadSshConfigHosts } from '../../remote/sshConfigHosts';
import { readSettingsHosts, readSshSettings } from '../adapters/settings';

export interface HostCatalogSnapshot {
  readonly hosts: SshHost[];
  readonly problems: string[];
  /** ssh config files that were read; watched so edits show up without a manual refresh. */
  readonly files: string[];
}

/** Collects hosts from ~/.ssh/config and the sshHosts setting. Config hosts come first; settings never shadow them. */
export async function loadHostCatalog(logger: Logger): Promise<HostCatalogSnapshot> {
  const home = homedir();
  const localUser = safeUser();
  const configFile = expandPath(readSshSettings().configFile || join(home, '.ssh', 'config'), home);
  const fromConfig = await loadSshConfigHosts(configFile, { home, localUser, skipFiles: [managedConfigPath(home)] });
  const fromSettings = hostsFromSettings(readSettingsHosts(), { localUser, expandHome: (p) => expandPath(p, home) });
  const problems = [...fromConfig.problems, ...fromSettings.problems];
  for (const p of problems) logger.warn(p);
  logger.info(`hosts: ${fromConfig.hosts.length} from ${configFile}, ${fromSettings.hosts.length} from settings`);
  return { hosts: [...fromConfig.hosts, ...fromSettings.hosts], problems, files: fromConfig.files };
}

export function knownHostsPath(): string {
  const home = homedir();
  return expandPath(readSshSettings().knownHostsFile || join(home, '.ssh', 'known_hosts'), home);
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? 'root';
  }
}
