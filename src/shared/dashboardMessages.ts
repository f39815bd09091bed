import { z } from 'zod';
import { checkpointStatusSchema } from './checkpointStatus';
import { costStatusSchema } from './costStatus';
import { historyWindowSchema } from './gpuMetrics';
import { connectionSchema, gpuSnapshotSchema, processesSchema, PROTOCOL_LIMITS, PROTOCOL_VERSION } from './telemetryProtocol';

/**
 * Host → webview. The host only ever sends full snapshots (never deltas), so a webview that missed a message or was
 * reloaded is correct again after the next one.
 */
export const snapshotMessageSchema = z
  .object({
    type: z.literal('snapshot'),
    protocolVersion: z.literal(PROTOCOL_VERSION),
    host: z.object({ id: z.string().min(1).max(PROTOCOL_LIMITS.maxLabelLength), label: z.string().max(PROTOCOL_LIMITS.maxLabelLength) }).strict(),
    connection: connectionSchema,
    /** The sampling interval in ms, so the chart knows what a gap is. */
    intervalMs: z.number().int().min(100).max(60_000),
    window: historyWindowSchema,
    gpus: z.array(gpuSnapshotSchema).max(PROTOCOL_LIMITS.maxGpus),
    processes: processesSchema,
    /** Host clock (epoch ms) when this snapshot was built; the latency benchmark reads it. */
    sentAt: z.number(),
    /** The open project's checkpoints on this host (issue 6); absent where nothing looks at them (GPU Monitor view). */
    checkpoints: checkpointStatusSchema.optional(),
    /** Cost counters and the auto-stop verdict and audit (issue 5); absent in the sidebar GPU Monitor. */
    cost: costStatusSchema.optional(),
  })
  .strict();

export const hostToWebviewSchema = z.discriminatedUnion('type', [snapshotMessageSchema]);
export type HostToWebviewMessage = z.infer<typeof hostToWebviewSchema>;
export type SnapshotMessage = z.infer<typeof snapshotMessageSchema>;

/** Webview → host. Each is a request; the host answers with the next snapshot, never with a reply message. */
export const webviewToHostSchema = z.discriminatedUnion('type', [
  /** Sent once the page has loaded; the host replies with a snapshot, or refuses an old protocol version. */
  z.object({ type: z.literal('ready'), protocolVersion: z.number().int() }).strict(),
  z.object({ type: z.literal('selectWindow'), window: historyWindowSchema }).strict(),
  z.object({ type: z.literal('openTerminal') }).strict(),
  z.object({ type: z.literal('retry') }).strict(),
  z.object({ type: z.literal('showLogs') }).strict(),
  /** From the sidebar GPU Monitor: open the full dashboard for the host it shows (the host knows which one). */
  z.object({ type: z.literal('openDashboard') }).strict(),
  /** The checkpoint section's button: runs Download Latest Checkpoint for this panel's host. */
  z.object({ type: z.literal('downloadLatestCheckpoint') }).strict(),
]);
export type WebviewToHostMessage = z.infer<typeof webviewToHostSchema>;

/** Either the typed message, or why it was refused (for the log; the receiver drops it). */
export type ParseMessageResult<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly error: string };

const MAX_ERROR_LENGTH = 500;

/** Validates a received message against a schema; never throws, whatever `data` is. */
export function parseMessage<T>(schema: z.ZodType<T>, data: unknown): ParseMessageResult<T> {
  let result: ReturnType<typeof schema.safeParse>;
  try {
    result = schema.safeParse(data);
  } catch {
    // safeParse reports bad shapes, but a hostile object's getter can still throw from inside it.
    return { ok: false, error: 'invalid message: could not be read' };
  }
  if (result.success) return { ok: true, message: result.data };
  const type = typeOf(data);
  const issues = result.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  return { ok: false, error: `invalid message (type ${type}): ${issues}`.slice(0, MAX_ERROR_LENGTH) };
}

export function parseHostMessage(data: unknown): ParseMessageResult<HostToWebviewMessage> {
  return parseMessage(hostToWebviewSchema, data);
}

export function parseWebviewMessage(data: unknown): ParseMessageResult<WebviewToHostMessage> {
  return parseMessage(webviewToHostSchema, data);
}

function typeOf(data: unknown): string {
  try {
    return typeof data === 'object' && data !== null && 'type' in data ? String((data as { type: unknown }).type).slice(0, 40) : '?';
  } catch {
    return '?';
  }
}
