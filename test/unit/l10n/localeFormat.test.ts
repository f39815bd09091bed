// The Intl formatting module and the webview's dictionary transport.
import { afterEach, describe, expect, it } from 'vitest';
import { displayLocale, formatClock, formatDateTime, formatDecimal, formatDollars, formatPerHour, formatUsd, setDisplayLocale } from '../../../src/shared/localeFormat';
import { embedJson, parseWebviewL10n } from '../../../src/shared/webviewStrings';

afterEach(() => setDisplayLocale(undefined));

describe('localeFormat', () => {
  it('is English until a locale is set, with the output the app always had', () => {
    expect(displayLocale()).toBe('en');
    expect(formatDollars(1.294)).toBe('$1.29');
    expect(formatUsd(4_200)).toBe('$0.0042');
    expect(formatPerHour(2_490_000)).toBe('$2.49/h');
    expect(formatDecimal(1980, 0)).toBe('1980');
    expect(formatDecimal(12.34, 1)).toBe('12.3');
  });

  it('follows the display language: decimal mark, dates, and "$" for US dollars everywhere', () => {
    setDisplayLocale('de');
    expect(formatDecimal(12.34, 1)).toBe('12,3');
    expect(formatDollars(1234.5)).toMatch(/^1\.234,50\s\$$/); // a no-break space before the sign
    setDisplayLocale('zh-cn');
    expect(formatDollars(1234.5)).toBe('$1,234.50');
    const at = new Date(2026, 10, 23, 14, 5).getTime();
    expect(formatDateTime(at)).toBe('2026年11月23日 14:05');
    expect(formatClock(at)).toBe('14:05');
  });

  it('money has one sub-cent rule for the host and the dashboard: 4 decimals under a cent, "under $0.0001" below that', () => {
    expect([0, 49, 50, 4_200, 9_999, 10_000, 12_345_678].map(formatUsd)).toEqual(['$0.00', 'under $0.0001', '$0.0001', '$0.0042', '$0.0100', '$0.01', '$12.35']);
    expect(formatPerHour(49)).toBe('under $0.0001/h');
  });

  it('falls back to English for a tag Intl cannot take', () => {
    setDisplayLocale('not a tag!');
    expect(displayLocale()).toBe('en');
  });
});

describe('webview dictionary transport', () => {
  it('embeds JSON that cannot end its script block, and reads it back', () => {
    const text = embedJson({ locale: 'zh-cn', messages: { 'a</script><!--': '&\u2028' } });
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(parseWebviewL10n(text)).toEqual({ locale: 'zh-cn', messages: { 'a</script><!--': '&\u2028' } });
  });

  it('refuses anything that is not the expected shape', () => {
    expect(parseWebviewL10n('')).toBeUndefined();
    expect(parseWebviewL10n('{"locale":"zh-cn","messages":{"a":1}}')).toBeUndefined();
    expect(parseWebviewL10n('[1]')).toBeUndefined();
  });
});
