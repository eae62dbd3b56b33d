/**
 * The workspace file `.netlens.yaml`: text in, structure out, nothing read
 * from disk here. Keys other helpers of the file add go beside `suppress`;
 * unknown keys are left alone so an older Netlens reads a newer file.
 *
 *   suppress:
 *     - paths: ["cni/*.conflist", "legacy/**"]   # workspace-relative globs
 *       codes: [cni-plugins-empty]
 *   external:                                   # what runs in the cluster without being in the workspace
 *     - name: ingress-nginx
 *       namespace: ingress-nginx
 *       namespaceLabels: { team: edge }        # optional
 *       labels: { app.kubernetes.io/name: ingress-nginx }
 *       ports: [{ port: 443, protocol: TCP }]  # optional
 *       hostNetwork: false                     # optional
 */
import { parseDocument, type Node } from 'yaml';
import type { ExternalComponent } from './externalComponents.js';
import { PROTOCOLS, type Protocol } from './model.js';
import { finding, type Finding } from './rules.js';
import { entries, get, integer, items, isMapNode, scalar, spanOf, stringMap, text, type NodeContext } from './yamlNodes.js';

export const PROJECT_CONFIG_FILE = '.netlens.yaml';

export interface PathSuppression {
  readonly paths: readonly string[];
  readonly codes: readonly string[];
}

export interface ProjectConfig {
  readonly suppress: readonly PathSuppression[];
  /** What could not be read, in words, for the log: a bad file never stops the analysis. */
  readonly problems: readonly string[];
}

export const EMPTY_PROJECT_CONFIG: ProjectConfig = { suppress: [], problems: [] };

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : typeof v === 'string' ? [v] : undefined);

export function readProjectConfig(text: string): ProjectConfig {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) return { suppress: [], problems: [`.netlens.yaml does not parse: ${doc.errors[0]!.message}`] };
  const root: unknown = doc.toJS({ maxAliasCount: 50 });
  if (root === null || root === undefined) return EMPTY_PROJECT_CONFIG;
  if (typeof root !== 'object' || Array.isArray(root)) return { suppress: [], problems: ['.netlens.yaml must be a mapping of settings'] };
  const problems: string[] = [];
  const suppress: PathSuppression[] = [];
  const entries: unknown = (root as Record<string, unknown>)['suppress'];
  if (entries !== undefined && !Array.isArray(entries)) problems.push('.netlens.yaml: suppress must be a list of {paths, codes}');
  for (const [i, entry] of (Array.isArray(entries) ? entries : []).entries()) {
    const paths = strings((entry as Record<string, unknown> | null)?.['paths']);
    const codes = strings((entry as Record<string, unknown> | null)?.['codes']);
    if (paths === undefined || codes === undefined) problems.push(`.netlens.yaml: suppress[${i}] needs paths and codes, each a string or a list of strings`);
    else suppress.push({ paths, codes });
  }
  return { suppress, problems };
}

export interface ExternalComponents {
  readonly externalComponents: readonly ExternalComponent[];
  readonly findings: readonly Finding[];
}

const COMPONENT_KEYS = new Set(['name', 'namespace', 'namespaceLabels', 'labels', 'ports', 'hostNetwork']);

/**
 * The `external` components, with findings placed in the file (its other keys
 * are read by readProjectConfig).
 */
export function readExternalComponents(file: string, source: string): ExternalComponents {
  const doc = parseDocument(source, { prettyErrors: false, strict: false });
  const ctx: NodeContext = { file, doc, offset: 0, source };
  const findings: Finding[] = [];
  const invalid = (node: unknown, message: string) => findings.push(finding('project-config-invalid', spanOf(ctx, node, { file, start: 0, end: 0 }), message));
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    findings.push(finding('project-config-invalid', { file, start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1) }, e.message.split('\n')[0] ?? e.message));
    return { externalComponents: [], findings };
  }
  const root = doc.contents as Node | null;
  if (root === null) return { externalComponents: [], findings };
  if (!isMapNode(ctx, root)) {
    invalid(root, `${PROJECT_CONFIG_FILE} must be a mapping with an "external" list.`);
    return { externalComponents: [], findings };
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
  return { externalComponents: components, findings };
}
