/**
 * Colours from the VS Code theme. The workbench sets --vscode-* variables on
 * the webview's <html> element and a vscode-light / vscode-dark /
 * vscode-high-contrast class on <body>; the canvas cannot use CSS, so the
 * values are read here and handed to cytoscape, and read again when the
 * theme changes.
 */
export interface Theme {
  readonly kind: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
  readonly background: string;
  readonly foreground: string;
  readonly muted: string;
  readonly border: string;
  /** Around every node: the theme's contrast border in high contrast themes, else the focus colour. */
  readonly nodeBorder: string;
  readonly focus: string;
  readonly allow: string;
  readonly external: string;
  readonly anywhere: string;
  readonly namespace: string;
  readonly nodeBackground: string;
  readonly fontFamily: string;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

export function themeKind(): Theme['kind'] {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  return c.contains('vscode-dark') ? 'dark' : 'light';
}

export function readTheme(): Theme {
  const style = getComputedStyle(document.documentElement);
  const kind = themeKind();
  const dark = kind === 'dark' || kind === 'high-contrast';
  const focus = cssVar(style, '--vscode-focusBorder', dark ? '#3794ff' : '#005fb8');
  return {
    kind,
    background: cssVar(style, '--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'),
    foreground: cssVar(style, '--vscode-editor-foreground', dark ? '#d4d4d4' : '#1f1f1f'),
    muted: cssVar(style, '--vscode-descriptionForeground', dark ? '#9d9d9d' : '#616161'),
    border: cssVar(style, '--vscode-panel-border', dark ? '#444444' : '#d4d4d4'),
    // High contrast themes outline every element in contrastBorder and keep focusBorder for the
    // focused or selected one: with one colour for both, a selection would only be a thicker line.
    nodeBorder: kind.startsWith('high-contrast') ? cssVar(style, '--vscode-contrastBorder', focus) : focus,
    focus,
    allow: cssVar(style, '--vscode-charts-green', dark ? '#89d185' : '#388a34'),
    external: cssVar(style, '--vscode-charts-orange', dark ? '#d18616' : '#b35c00'),
    anywhere: cssVar(style, '--vscode-charts-red', dark ? '#f14c4c' : '#e51400'),
    namespace: cssVar(style, '--vscode-sideBar-background', dark ? '#252526' : '#f3f3f3'),
    nodeBackground: cssVar(style, '--vscode-editorWidget-background', dark ? '#2d2d30' : '#f8f8f8'),
    fontFamily: cssVar(style, '--vscode-font-family', 'system-ui, sans-serif'),
  };
}
