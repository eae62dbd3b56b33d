/**
 * Completion inside manifests: label keys and values from the workspace in
 * selectors, namespace names, named container ports in policy ports and
 * Service targetPorts, and the enums (protocol, operator, policyTypes, type;
 * a cluster-wide policy's tier and its kind's rule actions).
 */
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver';
import { CLUSTER_POLICY_KINDS, clusterPolicyActions, type Analysis, type LineIndex } from './engine/index.js';
import { toRange } from './positions.js';
import { yamlContextAt, type YamlContext } from './yamlContext.js';

const ENUMS: Record<string, readonly string[]> = {
  protocol: ['TCP', 'UDP', 'SCTP'],
  operator: ['In', 'NotIn', 'Exists', 'DoesNotExist'],
};

function items(values: Iterable<string>, kind: CompletionItemKind, detail: string, ctx: YamlContext, lineIndex: LineIndex, offset: number): CompletionItem[] {
  const range = toRange(lineIndex, { start: ctx.prefixStart, end: offset });
  return [...new Set(values)].sort().map((label) => ({ label, kind, detail, textEdit: { range, newText: label } }));
}

function labelsOf(analysis: Analysis, namespaces: boolean): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (labels: ReadonlyMap<string, string>) => {
    for (const [k, v] of labels) {
      let set = out.get(k);
      if (set === undefined) out.set(k, (set = new Set()));
      set.add(v);
    }
  };
  if (namespaces) for (const ns of analysis.workspace.namespaces.values()) add(ns.labels);
  else for (const g of analysis.workspace.podGroups) add(g.labels);
  return out;
}

export function completions(analysis: Analysis, text: string, offset: number, lineIndex: LineIndex): CompletionItem[] {
  const ctx = yamlContextAt(text, offset);
  const last = ctx.path[ctx.path.length - 1];
  const parent = ctx.path[ctx.path.length - 2];
  const make = (values: Iterable<string>, kind: CompletionItemKind, detail: string) => items(values, kind, detail, ctx, lineIndex, offset);

  if (ctx.key !== undefined && ENUMS[ctx.key]) return make(ENUMS[ctx.key]!, CompletionItemKind.EnumMember, ctx.key);
  if (ctx.key === 'type' && ctx.kind === 'Service' && last === 'spec') return make(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'], CompletionItemKind.EnumMember, 'Service type');
  if (last === 'policyTypes' && ctx.key === undefined) return make(['Ingress', 'Egress'], CompletionItemKind.EnumMember, 'policyType');
  const clusterWide = ctx.kind !== undefined && CLUSTER_POLICY_KINDS.includes(ctx.kind);
  if (clusterWide && ctx.key === 'action') return make(clusterPolicyActions(ctx.kind!), CompletionItemKind.EnumMember, `${ctx.kind} action`);
  if (clusterWide && ctx.key === 'tier' && last === 'spec' && ctx.kind === 'ClusterNetworkPolicy') return make(['Admin', 'Baseline'], CompletionItemKind.EnumMember, 'tier');

  // Which labels a selector at this place selects on: namespaces or pods.
  const selectorOwner = last === 'matchLabels' || last === 'matchExpressions' ? parent : last === 'selector' && ctx.kind === 'Service' ? 'selector' : undefined;
  if (selectorOwner !== undefined) {
    // Cluster-wide policies select namespaces under `namespaces` too.
    const ofNamespaces = selectorOwner === 'namespaceSelector' || (clusterWide && selectorOwner === 'namespaces');
    const labels = labelsOf(analysis, ofNamespaces);
    const what = ofNamespaces ? 'namespace label' : 'pod label';
    if (last === 'matchExpressions') {
      if (ctx.key === 'key') return make(labels.keys(), CompletionItemKind.Property, what);
      if (ctx.key === 'values' || (ctx.key === undefined && ctx.inSequenceItem)) {
        const keyLine = /key:\s*["']?([^"'\s,}]+)/.exec(text.slice(Math.max(0, offset - 400), offset).split(/\n\s*-\s/).pop() ?? '');
        const values = keyLine ? labels.get(keyLine[1]!) : undefined;
        return make(values ?? [...labels.values()].flatMap((s) => [...s]), CompletionItemKind.Value, what);
      }
      return [];
    }
    if (ctx.key === undefined) {
      return make(labels.keys(), CompletionItemKind.Property, what).map((item) => ({ ...item, insertText: `${item.label}: `, textEdit: item.textEdit && { ...item.textEdit, newText: `${item.label}: ` } }));
    }
    if (ctx.key === 'kubernetes.io/metadata.name') return make(analysis.workspace.namespaces.keys(), CompletionItemKind.Module, 'namespace');
    return make(labels.get(ctx.key) ?? [], CompletionItemKind.Value, `${what} ${ctx.key}`);
  }

  // Named ports: in a policy rule's ports, and as a Service targetPort.
  const namedPortKey = ctx.key === 'namedPort' || ctx.key === 'destinationNamedPort';
  if ((ctx.key === 'port' && last === 'ports' && ctx.kind === 'NetworkPolicy') || (ctx.key === 'targetPort' && ctx.kind === 'Service') || (clusterWide && namedPortKey)) {
    const names = analysis.workspace.podGroups.flatMap((g) => g.ports.flatMap((p) => (p.name === undefined ? [] : [p.name])));
    return make(names, CompletionItemKind.Reference, 'container port name');
  }
  if (ctx.key === 'namespace' && last === 'metadata') return make(analysis.workspace.namespaces.keys(), CompletionItemKind.Module, 'namespace');
  return [];
}
