import type { z } from 'zod';
import { ProviderHttpError } from './httpError';
import { t } from '../../shared/l10n';

/** "data.gpu_1x_a10.instance_type.price_cents_per_hour", "pods[0].status": the path a developer can grep. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(top level)' : out;
}

/**
 * Validates a provider's body against its schema. An unexpected shape becomes RemoteGpuError('invalidResponse')
 * whose message names the first field that did not fit, never a TypeError three calls later.
 */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, provider: string, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const first = issues[0];
  const where = first ? formatPath(first.path) : '(unknown field)';
  const detail = issues
    .slice(0, 5)
    .map((i) => `${formatPath(i.path)}: ${i.message}`)
    .join('; ');
  // The field path is what a developer greps for; `what` and zod's words are English and go to the log only.
  return invalidResponse(t('{0} sent an answer Remote GPU cannot read: field {1} is not as expected.', provider, where), `${what}: ${detail}`);
}

/** Reads a body as JSON; an empty body is `undefined` (204, or a 200 the provider leaves empty). */
export function parseJsonText(text: string, provider: string, what: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    return invalidResponse(t('{0} sent an answer that is not JSON.', provider), `${what}: ${e instanceof Error ? e.message : String(e)}; body starts ${JSON.stringify(text.slice(0, 80))}`);
  }
}

function invalidResponse(message: string, detail: string): never {
  throw new ProviderHttpError('invalidResponse', message, { retryable: false, detail });
}
