/** The chart colours VS Code themes define (charts.*), so a chart matches the editor's own charts. */
export type ChartColor = 'blue' | 'red' | 'green' | 'yellow' | 'orange' | 'purple';

const CHART_COLORS: readonly ChartColor[] = ['blue', 'red', 'green', 'yellow', 'orange', 'purple'];

/** Used only if a variable is missing (a page opened outside VS Code, or a test): VS Code's dark defaults. */
const FALLBACK: Readonly<Record<ChartColor, string>> = {
  blue: '#3794ff',
  red: '#f14c4c',
  green: '#89d185',
  yellow: '#cca700',
  orange: '#d18616',
  purple: '#b180d7',
};

/**
 * Colours resolved from the computed CSS variables. A canvas cannot use var(--x), so the chart's stroke callbacks
 * read these fields at draw time, and `refresh` re-reads them when the theme changes.
 */
export class ThemePalette {
  foreground = '#cccccc';
  grid = 'rgba(128,128,128,0.25)';
  readonly colors: Record<ChartColor, string> = { ...FALLBACK };

  constructor(private readonly element: HTMLElement) {
    this.refresh();
  }

  refresh(): void {
    const style = getComputedStyle(this.element);
    const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
    for (const c of CHART_COLORS) this.colors[c] = read(`--vscode-charts-${c}`, FALLBACK[c]);
    this.foreground = read('--vscode-descriptionForeground', read('--vscode-foreground', '#cccccc'));
    // High-contrast themes define contrastBorder; there the grid must be visible, elsewhere it stays faint.
    this.grid = read('--vscode-contrastBorder', read('--vscode-charts-lines', 'rgba(128,128,128,0.25)'));
  }
}

/**
 * Calls `onChange` when VS Code switches theme. VS Code swaps the body's class (vscode-light, vscode-dark,
 * vscode-high-contrast, vscode-high-contrast-light) and theme id, and rewrites the variables in the <html> element's
 * style. Two dark themes share a class but not colours, so the style attribute is watched as well.
 */
export function watchTheme(body: HTMLElement, onChange: () => void): () => void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
  const html = body.ownerDocument.documentElement;
  if (html !== body) observer.observe(html, { attributes: true, attributeFilter: ['style'] });
  return () => observer.disconnect();
}
