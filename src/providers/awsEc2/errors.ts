import { isRemoteGpuError, toRemoteGpuError, type ErrorReason, type RemoteGpuError } from '../../core/errors';
import { messageFor, ProviderHttpError, reasonForStatus } from '../../core/http/httpError';
import { t } from '../../shared/l10n';

export const EC2_NAME = 'AWS EC2';

/** The SDK throws exceptions whose `name` is the wire `<Code>` / `__type` (providers.md §4.1). */
const CODE_REASONS: Readonly<Record<string, ErrorReason>> = {
  AuthFailure: 'auth',
  UnauthorizedOperation: 'auth',
  InvalidClientTokenId: 'auth',
  SignatureDoesNotMatch: 'auth',
  UnrecognizedClientException: 'auth',
  AccessDeniedException: 'auth',
  OptInRequired: 'auth',
  InsufficientInstanceCapacity: 'capacity',
  InsufficientHostCapacity: 'capacity',
  InsufficientCapacity: 'capacity',
  SpotMaxPriceTooLow: 'capacity',
  VcpuLimitExceeded: 'quota',
  InstanceLimitExceeded: 'quota',
  MaxSpotInstanceCountExceeded: 'quota',
  'InvalidInstanceID.NotFound': 'notFound',
  'InvalidKeyPair.NotFound': 'notFound',
  RequestLimitExceeded: 'rateLimited',
  ThrottlingException: 'rateLimited',
  Throttling: 'rateLimited',
  ServiceUnavailable: 'unavailable',
  Unavailable: 'unavailable',
  InternalError: 'unavailable',
  InternalFailure: 'unavailable',
};

interface AwsServiceErrorShape {
  readonly name: string;
  readonly message: string;
  readonly status?: number;
}

/** A modelled service error: the SDK sets `$fault` ('client' | 'server') and `$metadata.httpStatusCode`. */
function serviceError(e: unknown): AwsServiceErrorShape | undefined {
  if (!(e instanceof Error) || !('$fault' in e)) return undefined;
  const metadata = '$metadata' in e ? e.$metadata : undefined;
  const status = typeof metadata === 'object' && metadata !== null && 'httpStatusCode' in metadata && typeof metadata.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
  return { name: e.name, message: e.message, ...(status !== undefined ? { status } : {}) };
}

/**
 * Everything the SDK throws becomes a RemoteGpuError: service errors by their code (never by message text), a body
 * the SDK could not deserialize (it attaches `$response`) as invalidResponse, and the HTTP port's own typed errors
 * (timeout, cancelled, unavailable) as they are. Capacity on a 500 is not "try the same request again".
 */
export function toEc2Error(e: unknown, what: string): RemoteGpuError {
  if (isRemoteGpuError(e)) return e;
  const service = serviceError(e);
  if (service) {
    const status = service.status ?? 0;
    const reason = CODE_REASONS[service.name] ?? reasonForStatus(status);
    const retryable = reason === 'rateLimited' || reason === 'unavailable' || (status >= 500 && reason !== 'capacity');
    return new ProviderHttpError(reason, messageFor(reason, EC2_NAME), {
      ...(status ? { status } : {}),
      providerCode: service.name,
      retryable,
      detail: `${what} -> ${status || '?'} ${service.name}: ${service.message}`,
    });
  }
  if (e instanceof Error && '$response' in e) {
    return new ProviderHttpError('invalidResponse', t('{0} sent an answer that could not be read.', EC2_NAME), { retryable: false, detail: `${what}: ${e.message}` });
  }
  return toRemoteGpuError(e);
}
