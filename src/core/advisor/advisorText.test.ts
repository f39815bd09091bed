import { afterEach, describe, expect, it } from 'vitest';
import { setDisplayLocale } from '../../shared/localeFormat';
import { formatGb } from './advisorText';

describe('formatGb', () => {
  afterEach(() => setDisplayLocale(undefined));

  it('writes decimal GB with fewer decimals as the number grows', () => {
    expect([formatGb(1.05e9), formatGb(26e9), formatGb(138e9)]).toEqual(['1.05 GB', '26.0 GB', '138 GB']);
  });

  it("follows the display language's decimal mark; the unit stays as written", () => {
    setDisplayLocale('de');
    expect(formatGb(26e9)).toBe('26,0 GB');
    setDisplayLocale('zh-cn');
    expect(formatGb(1.05e9)).toBe('1.05 GB');
  });
});
