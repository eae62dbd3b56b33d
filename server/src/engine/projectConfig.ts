/**
 * `.netlens.yaml`, the workspace file where a team tells Netlens what runs in
 * the cluster without being in the workspace, and which findings it does not
 * want for some paths (for JSON files, where comments are impossible):
 *
 *   external:
 *     - name: ingress-nginx
 *       namespace: ingress-nginx
 *       namespaceLabels: { team: edge }        # optional
 *       labels: { app.kubernetes.io/name: ingress-nginx }
 *       ports: [{ port: 443, protocol: TCP }]  # optional
 *       hostNetwork: false                     # optional
 *   suppress:
 *     - paths: ["cni/*.conflist", "legacy/**"]   # globs relative to the file's folder
 *       codes: [cni-plugins-empty]
 *   overrides:                                   # per-folder settings; later entries win
 *     - paths: ["examples/**"]
 *       severity: { rule-allows-all: hint, namespace-not-defined: off }
 *
 * Unknown top-level keys are left alone, so an older Netlens reads a newer file.
 * A pure reader: text in, components and findings out. The CLI and the server
 * read the file and hand its text here.
 */
import { parseDocument, type Node } from 'yaml';
import type { ExternalComponent } from './externalComponents.js';
import { PROTOCOLS, type Protocol } from './model.js';
import { finding, RULES, type Finding, type RuleCode, type Severity } from './rules.js';
import { entries, get, integer, items, isMapNode, scalar, spanOf, stringMap, text, type NodeContext } from './yamlNodes.js';

export const PROJECT_CONFIG_FILE = '.netlens.yaml';

export interface PathSuppression {
  readonly paths: readonly string[];
  readonly codes: readonly string[];
}

/** Settings for the files under some paths; for now the severity per code, or "off". */
export interface PathOverride {
  readonly paths: readonly string[];
  readonly severity: Readonly<Partial<Record<RuleCode, Severity | 'off'>>>;
}

export interface ProjectConfig {
  readonly externalComponents: readonly ExternalComponent[];
  readonly suppress: readonly PathSuppression[];
  readonly overrides: readonly PathOverride[];
  /** What could not be read, as project-config-invalid findings: a bad file never stops the analysis. */
  readonly findings: readonly Finding[];
}

const OVERRIDE_LEVELS: readonly string[] = ['error', 'warning', 'information', 'hint', 'off'];
const COMPONENT_KEYS = new Set(['name', 'namespace', 'namespaceLabels', 'labels', 'ports', 'hostNetwork']);

export function readProjectConfig(file: string, source: string): ProjectConfig {
  const doc = parseDocument(source, { prettyErrors: false, strict: false });
  const ctx: NodeContext = { file, doc, offset: 0, source };
  const findings: Finding[] = [];
  const invalid = (node: unknown, message: string) => findings.push(finding('project-config-invalid', spanOf(ctx, node, { file, start: 0, end: 0 }), message));
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    findings.push(finding('project-config-invalid', { file, start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1) }, e.message.split('\n')[0] ?? e.message));
    return { externalComponents: [], suppress: [], overrides: [], findings };
  }
  const root = doc.contents as Node | null;
  if (root === null) return { externalComponents: [], suppress: [], overrides: [], findings };
  if (!isMapNode(ctx, root)) {
    invalid(root, `${PROJECT_CONFIG_FILE} must be a mapping with an "external" list.`);
    return { externalComponents: [], suppress: [], overrides: [], findings };
  }
  const components: ExternalComponent[] = [];
  for (const item of items(ctx, get(ctx, root, 'external'))) {
    for (const e of entries(ctx, item)) if (!COMPONENT_KEYS.has(e.key)) invalid(e.keyNode, `Unknown key "${e.key}"; an external component has ${[...COMPONENT_KEYS].join(', ')}.`);
    const name = text(ctx, get(ctx, item, 'name'));
    const namespace = text(ctx, get(ctx, item, 'namespace'));
    const labelsNode = get(ctx, item, 'labels');
    if (name === undefined || namespace === undefined || !isMapNode(ctx, labelsNode)) {
      invalid(item, 'An external component needs a name, a namespace and a labels mapping.');
      continue;
    }
    const ports: Array<{ port: number; protocol: Protocol }> = [];
    for (const p of items(ctx, get(ctx, item, 'ports'))) {
      const port = integer(ctx, get(ctx, p, 'port'));
      const protocol = text(ctx, get(ctx, p, 'protocol')) ?? 'TCP';
      if (port === undefined || port < 1 || port > 65535 || !(PROTOCOLS as readonly string[]).includes(protocol)) {
        invalid(p, 'A port needs a port number from 1 to 65535 and a protocol of TCP, UDP or SCTP.');
        continue;
      }
      ports.push({ port, protocol: protocol as Protocol });
    }
    components.push({
      name,
      namespace,
      namespaceLabels: stringMap(ctx, get(ctx, item, 'namespaceLabels')),
      labels: stringMap(ctx, labelsNode),
      ports,
      hostNetwork: scalar(ctx, get(ctx, item, 'hostNetwork')) === true,
    });
  }
  const suppress: PathSuppression[] = [];
  for (const item of items(ctx, get(ctx, root, 'suppress'))) {
    const paths = stringList(ctx, get(ctx, item, 'paths'));
    const codes = stringList(ctx, get(ctx, item, 'codes'));
    if (paths === undefined || codes === undefined) invalid(item, 'A suppress entry needs paths and codes, each a string or a list of strings.');
    else suppress.push({ paths, codes });
  }
  const overrides: PathOverride[] = [];
  for (const item of items(ctx, get(ctx, root, 'overrides'))) {
    const paths = stringList(ctx, get(ctx, item, 'paths'));
    const severityNode = get(ctx, item, 'severity');
    if (paths === undefined || !isMapNode(ctx, severityNode)) {
      invalid(item, 'An overrides entry needs paths (a string or a list of strings) and a severity mapping of codes to error, warning, information, hint or off.');
      continue;
    }
    const severity: Partial<Record<RuleCode, Severity | 'off'>> = {};
    for (const e of entries(ctx, severityNode)) {
      const level = text(ctx, e.value);
      if (!Object.prototype.hasOwnProperty.call(RULES, e.key)) invalid(e.keyNode, `Netlens has no rule ${e.key}; netlens explain-code lists them.`);
      else if (level === undefined || !OVERRIDE_LEVELS.includes(level)) invalid(e.value ?? e.keyNode, `The severity of ${e.key} must be error, warning, information, hint or off.`);
      else severity[e.key as RuleCode] = level as Severity | 'off';
    }
    overrides.push({ paths, severity });
  }
  return { externalComponents: components, suppress, overrides, findings };
}

/** A string, or a list of strings, as a list; undefined for anything else. */
function stringList(ctx: NodeContext, node: unknown): string[] | undefined {
  const one = text(ctx, node);
  if (one !== undefined) return [one];
  const list = items(ctx, node).map((n) => text(ctx, n));
  return list.length > 0 && list.every((v): v is string => v !== undefined) ? list : undefined;
}
