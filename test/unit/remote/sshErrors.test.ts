import { describe, expect, it } from 'vitest';
import { RemoteGpuError } from '../../../src/core/errors';
import { mapConnectError } from '../../../src/remote/sshErrors';

const ctx = { target: 'root@gpu.example:2222' };
const err = (message: string, fields: { code?: string; level?: string }) => Object.assign(new Error(message), fields);

describe('mapConnectError', () => {
  it.each([
    [{ code: 'ECONNREFUSED', level: 'client-socket' }, 'unreachable'],
    [{ code: 'ENOTFOUND' }, 'unreachable'],
    [{ code: 'EHOSTUNREACH' }, 'unreachable'],
    [{ code: 'ENETUNREACH' }, 'unreachable'],
    [{ code: 'ETIMEDOUT' }, 'timeout'],
    [{ level: 'client-timeout' }, 'timeout'],
    [{ level: 'client-authentication' }, 'auth'],
    [{ level: 'client-dns' }, 'unreachable'],
    [{ level: 'handshake' }, 'unreachable'],
    [{}, 'internal'],
  ] as const)('%o → %s', (fields, reason) => {
    const e = mapConnectError(err('some library text', fields), ctx);
    expect(e.reason).toBe(reason);
    expect(e.message).toContain(ctx.target);
    // The library's own words go to the log detail, never into the message shown to the user.
    expect(e.message).not.toContain('some library text');
    expect(e.detail).toContain('some library text');
  });

  it('does not read message text: a message that looks like a refusal without a code stays internal', () => {
    expect(mapConnectError(new Error('connect ECONNREFUSED 1.2.3.4:22'), ctx).reason).toBe('internal');
  });

  it('passes typed errors through unchanged', () => {
    const typed = new RemoteGpuError('hostKeyChanged', 'changed');
    expect(mapConnectError(typed, ctx)).toBe(typed);
  });
});
