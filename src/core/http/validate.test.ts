import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatPath, parseJsonText, parseWith } from './validate';

describe('parseWith', () => {
  const schema = z.object({ data: z.object({ pods: z.array(z.object({ id: z.string(), cost: z.number() })) }) });

  it('returns the parsed value', () => {
    expect(parseWith(schema, { data: { pods: [{ id: 'a', cost: 1 }] } }, 'P', 'pod list')).toEqual({ data: { pods: [{ id: 'a', cost: 1 }] } });
  });

  it('names the first field that did not fit, as a path', () => {
    const bad = { data: { pods: [{ id: 'a', cost: 1 }, { id: 'b', cost: '0.74' }] } };
    expect(() => parseWith(schema, bad, 'RunPod', 'pod list')).toThrowError(/RunPod sent an answer Remote GPU cannot read: field data\.pods\[1\]\.cost is not as expected/);
    try {
      parseWith(schema, bad, 'RunPod', 'pod list');
    } catch (e) {
      // What was read and zod's English words go to the log (detail), not into the translated message.
      expect(e).toMatchObject({ reason: 'invalidResponse', detail: expect.stringMatching(/^pod list: data\.pods\[1\]\.cost: /) });
      expect((e as Error).message).not.toContain('pod list');
    }
  });

  it('formats paths for humans', () => {
    expect(formatPath([])).toBe('(top level)');
    expect(formatPath([0, 'x'])).toBe('[0].x');
    expect(formatPath(['a', 2, 'b'])).toBe('a[2].b');
  });
});

describe('parseJsonText', () => {
  it('reads an empty body as undefined and refuses non-JSON with invalidResponse', () => {
    expect(parseJsonText('  ', 'P', 'x')).toBeUndefined();
    expect(parseJsonText('{"a":1}', 'P', 'x')).toEqual({ a: 1 });
    expect(() => parseJsonText('<html>', 'P', 'x')).toThrowError(expect.objectContaining({ reason: 'invalidResponse' }));
  });
});
