import type * as vscode from 'vscode';
import { redact, type Logger } from '../../core/logger';

/**
 * The Logger port over a LogOutputChannel: VS Code adds timestamps and levels and honours "Set Log Level"; we add the
 * component tag and redact secrets on every line, so no caller can forget to.
 */
export function createOutputLogger(channel: vscode.LogOutputChannel, component = 'main'): Logger {
  const tag = (message: string) => `[${component}] ${redact(message)}`;
  return {
    trace: (m) => channel.trace(tag(m)),
    debug: (m) => channel.debug(tag(m)),
    info: (m) => channel.info(tag(m)),
    warn: (m) => channel.warn(tag(m)),
    error: (m, error) => channel.error(tag(error === undefined ? m : `${m}: ${describe(error)}`)),
    child: (name) => createOutputLogger(channel, name),
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const detail = 'detail' in error && typeof error.detail === 'string' ? ` (${error.detail})` : '';
    const reason = 'reason' in error && typeof error.reason === 'string' ? `${error.reason}: ` : '';
    // Stacks go to the log only, at the level that asks for them; never to the user.
    return `${reason}${error.message}${detail}${error.stack ? `\n${error.stack}` : ''}`;
  }
  return String(error);
}
