import { parseHostMessage } from '../../src/shared/dashboardMessages';
import type { SnapshotMessage, WebviewToHostMessage } from '../../src/shared/dashboardMessages';
import { PROTOCOL_VERSION } from '../../src/shared/telemetryProtocol';

/** The part of VS Code's `acquireVsCodeApi()` object the webviews use; tests pass an in-memory fake. */
export interface VsCodeApi {
  postMessage(message: unknown): void;
}

/** Where messages from the extension host arrive: `window` in a webview. */
export interface MessageSource {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export interface HostChannel {
  post(message: WebviewToHostMessage): void;
  dispose(): void;
}

export interface HostChannelOptions {
  readonly source: MessageSource;
  readonly api: VsCodeApi;
  readonly onSnapshot: (message: SnapshotMessage) => void;
  readonly log: Pick<Console, 'warn' | 'error'>;
}

/**
 * Connects a webview app to the extension host: every received message is validated with the protocol's zod schema
 * (an invalid one is logged and dropped; nothing throws out of the listener), and `ready` is posted once listening,
 * so the host's first snapshot cannot arrive before anyone hears it.
 */
export function connectHost(options: HostChannelOptions): HostChannel {
  const listener = (event: MessageEvent): void => {
    const parsed = parseHostMessage(event.data);
    if (!parsed.ok) {
      options.log.warn(`[webview] dropped a message from the host: ${parsed.error}`);
      return;
    }
    try {
      options.onSnapshot(parsed.message);
    } catch (error) {
      // A render bug must not take the listener down: the next full snapshot gets another chance.
      options.log.error('[webview] rendering a snapshot failed', error);
    }
  };
  options.source.addEventListener('message', listener);
  const post = (message: WebviewToHostMessage): void => options.api.postMessage(message);
  post({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
  return { post, dispose: () => options.source.removeEventListener('message', listener) };
}
