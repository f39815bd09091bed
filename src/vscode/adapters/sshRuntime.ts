import { existsSync } from 'node:fs';
import type * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { ConnectionPool } from '../../remote/connectionPool';
import { HostKeyVerifier } from '../../remote/hostKeyVerifier';
import { knownHostsPath } from '../hosts/hostCatalog';
import { createHostKeyPrompt } from './hostKeyPrompt';
import { readSshSettings } from './settings';

/** Owns the pool and rebuilds it when SSH settings change, so new timeouts and files apply to new connections. */
export class SshRuntime implements vscode.Disposable {
  pool: ConnectionPool;

  constructor(private readonly logger: Logger) {
    this.pool = this.create();
  }

  rebuild(): void {
    this.pool.dispose();
    this.pool = this.create();
  }

  dispose(): void {
    this.pool.dispose();
  }

  private create(): ConnectionPool {
    const s = readSshSettings();
    // The user's file first (new keys are written there), then the system-wide one if the machine has it.
    const files = [knownHostsPath(), '/etc/ssh/ssh_known_hosts'].filter((f, i) => i === 0 || existsSync(f));
    const hostKeys = new HostKeyVerifier({ knownHostsFiles: files, prompt: createHostKeyPrompt(this.logger), logger: this.logger.child('hostkeys') });
    return new ConnectionPool({ logger: this.logger, hostKeys, keepaliveIntervalMs: s.keepaliveIntervalMs, readyTimeoutMs: s.connectTimeoutMs });
  }
}
