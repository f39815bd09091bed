import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';

export interface UnknownHostInfo {
  readonly host: string;
  readonly port: number;
  readonly keyType: string;
  readonly fingerprintSha256: string;
}

/**
 * Trust on first use, asked in a modal so it cannot be missed or answered by accident. The fingerprint is the
 * SHA256 form `ssh-keygen -lf` and the OpenSSH client print, so the user can compare it with the provider's console.
 */
export function createHostKeyPrompt(logger: Logger): { confirmUnknownHost(info: UnknownHostInfo): Promise<boolean> } {
  return {
    async confirmUnknownHost(info) {
      const where = info.port === 22 ? info.host : `${info.host}:${info.port}`;
      const trust = vscode.l10n.t('Trust and Connect');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('First connection to {0}', where),
        {
          modal: true,
          detail: vscode.l10n.t(
            'The authenticity of this host cannot be established yet.\n\n{0} key fingerprint:\n{1}\n\nOnly continue if this matches the fingerprint your provider or administrator shows. The key will be added to your known_hosts file.',
            info.keyType,
            info.fingerprintSha256,
          ),
        },
        trust,
      );
      const accepted = choice === trust;
      logger.info(`host key for ${where} (${info.keyType} ${info.fingerprintSha256}) ${accepted ? 'trusted by the user' : 'declined'}`);
      return accepted;
    },
  };
}
