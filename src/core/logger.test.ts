import { describe, expect, it } from 'vitest';
import { redact } from './logger';

describe('redact', () => {
  it('removes private key blocks, whole or cut off', () => {
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';
    expect(redact(`loaded ${key} ok`)).toBe('loaded [redacted private key] ok');
    expect(redact('-----BEGIN RSA PRIVATE KEY-----\nMIIEow')).toBe('[redacted private key]');
  });

  it('removes bearer tokens and key=value secrets but keeps the key name', () => {
    expect(redact('Authorization: Bearer sk_live_abc.def')).toBe('Authorization: [redacted]');
    expect(redact('GET /x Bearer abc123')).toBe('GET /x Bearer [redacted]');
    expect(redact('api_key=secret123 next')).toBe('api_key=[redacted] next');
    expect(redact('{"token": "t0k3n", "name": "gpu"}')).toBe('{"token": "[redacted]", "name": "gpu"}');
    expect(redact('passphrase: hunter2')).toBe('passphrase: [redacted]');
  });

  it('leaves ordinary lines alone', () => {
    const line = 'connected to root@127.0.0.1:2222 in 85 ms (ssh-ed25519 SHA256:abc)';
    expect(redact(line)).toBe(line);
  });
});
