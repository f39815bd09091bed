// @ts-check

// Malformed output for `NVIDIA_SMI_SIM_MODE=garbage`: the kinds of broken text a parser meets when a driver
// misbehaves or a stream is cut. Variants rotate with the tick so that a loop shows all of them.

/**
 * A CSV row with missing, extra, mangled or binary cells.
 * @param {string} goodRow a well-formed row, newline included
 * @param {number} variant
 * @returns {string}
 */
export function garbleRow(goodRow, variant) {
  const cells = goodRow.replace(/\n$/, '').split(', ');
  switch (variant % 5) {
    case 0: return `${cells.slice(0, Math.floor(cells.length / 2)).join(', ')}\n`;
    case 1: return `${cells.map((c, i) => (i % 2 === 1 ? 'ERR!' : c)).join(', ')}\n`;
    case 2: return `${[...cells, '', '[Unknown Error]'].join(', ')}\n`;
    case 3: return `${cells.map((c) => c.replace(/\d/g, '#')).join(',')}\n`;
    default: return '\u0000\u00ff\uFFFD NVML: Unknown Error\n';
  }
}

/**
 * A report whose lines are cut short, as when a driver dies mid-write.
 * @param {string} text well-formed report
 * @param {number} variant
 * @returns {string}
 */
export function garbleText(text, variant) {
  return `${text.split('\n').filter((line) => line.length > 0)
    .map((line, i) => line.slice(0, 12 + ((i * 7 + variant * 13) % 60))).join('\n')}\n`;
}
