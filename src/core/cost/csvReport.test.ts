import { describe, expect, it } from 'vitest';
import { CostBook } from './costBook';
import { costReportCsv, csvField, microsToDecimal } from './csvReport';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 23, 0, 0, 0);

/** A minimal RFC 4180 reader, to prove the writer's output round-trips. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  return rows;
}

describe('cost report CSV', () => {
  it('one row per instance and day, split at midnight, exact dollars', () => {
    const book = new CostBook();
    book.add([{ v: 1, key: 'runpod:p1', provider: 'runpod', name: 'trainer', from: T0 - 2 * H, to: T0 + 3 * H, rate: 2_690_000, rateAfter: 0, writer: 'w' }]);
    const rows = readCsv(costReportCsv(book, T0 + 10 * H, 0));
    expect(rows).toEqual([
      ['date', 'provider', 'instance', 'instance_id', 'billed_hours', 'cost_usd'],
      ['2026-11-22', 'runpod', 'trainer', 'runpod:p1', '2.0000', '5.380000'],
      ['2026-11-23', 'runpod', 'trainer', 'runpod:p1', '3.0000', '8.070000'],
    ]);
  });

  it('hostile names survive: quotes, commas, newlines, formulas', () => {
    const name = '=HYPERLINK("http://x","a,b")\r\nrow2';
    const book = new CostBook();
    book.add([{ v: 1, key: 'vast:1', provider: 'vast', name, from: T0, to: T0 + H, rate: 1_000_000, rateAfter: 0, writer: 'w' }]);
    const text = costReportCsv(book, T0 + H, 0);
    const rows = readCsv(text);
    expect(rows).toHaveLength(2);
    expect(rows[1]?.[2]).toBe(`'${name}`);
    expect(csvField('a"b')).toBe('"a""b"');
    expect(csvField('plain')).toBe('plain');
    expect(csvField('-1+2')).toBe("'-1+2");
    expect(microsToDecimal(1_234_567_890)).toBe('1234.567890');
  });
});
