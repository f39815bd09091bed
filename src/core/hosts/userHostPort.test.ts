import { describe, expect, it } from 'vitest';
import { parseUserHostPort } from './userHostPort';

describe('parseUserHostPort', () => {
  it.each([
    ['gpu.example.com', { host: 'gpu.example.com', port: 22 }],
    ['ubuntu@203.0.113.10', { user: 'ubuntu', host: '203.0.113.10', port: 22 }],
    ['root@ssh.runpod.io:22077', { user: 'root', host: 'ssh.runpod.io', port: 22077 }],
    ['ssh me@box', { user: 'me', host: 'box', port: 22 }],
    ['me@[2001:db8::1]:2200', { user: 'me', host: '2001:db8::1', port: 2200 }],
    ['2001:db8::1', { host: '2001:db8::1', port: 22 }],
  ])('accepts %s', (input, value) => {
    expect(parseUserHostPort(input)).toEqual({ ok: true, value });
  });

  it.each(['', '   ', 'a b', '@host', 'me@host:0', 'me@host:70000', 'me@host:port', 'me@ho/st', 'u:x@host'])('rejects %j', (input) => {
    const result = parseUserHostPort(input);
    expect(result.ok).toBe(false);
  });
});
