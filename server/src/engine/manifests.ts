/**
 * One file's text → the Kubernetes objects it holds, document by document.
 * A document that does not parse is reported and left out; the others in the
 * same file still count. YAML that is not a network-relevant Kubernetes object
 * (CI workflows, compose files, Helm templates) yields nothing at all.
 */
import { isMap, parseAllDocuments, type Document, type Node } from 'yaml';
import { buildPolicy } from './buildPolicy.js';
import { buildService } from './buildService.js';
import { buildNamespace, buildPodGroup, type ObjectHeader } from './buildWorkloads.js';
import { POD_KINDS, type NamespaceModel, type PodGroup, type PodKind, type PolicyModel, type ServiceModel } from './model.js';
import { finding, type Finding } from './rules.js';
import type { SourceSpan } from './source.js';
import { get, items, spanOf, text, type NodeContext } from './yamlNodes.js';

export interface ManifestObjects {
  readonly namespaces: NamespaceModel[];
  readonly podGroups: PodGroup[];
  readonly services: ServiceModel[];
  readonly policies: PolicyModel[];
}

export interface ManifestDocument extends ManifestObjects {
  /** [start, end) of the document's text, separators excluded. */
  readonly span: SourceSpan;
  readonly findings: Finding[];
}

export interface ManifestFile {
  readonly file: string;
  readonly documents: readonly ManifestDocument[];
}

export interface ParseOptions {
  /** Namespace of objects that do not name one. */
  readonly defaultNamespace?: string;
}

/** apiVersions under which each kind we model has been served. */
const API_VERSIONS: Record<string, readonly string[]> = {
  Namespace: ['v1'],
  Pod: ['v1'],
  Service: ['v1'],
  ReplicationController: ['v1'],
  Deployment: ['apps/v1', 'apps/v1beta1', 'apps/v1beta2', 'extensions/v1beta1'],
  StatefulSet: ['apps/v1', 'apps/v1beta1', 'apps/v1beta2'],
  DaemonSet: ['apps/v1', 'apps/v1beta2', 'extensions/v1beta1'],
  ReplicaSet: ['apps/v1', 'apps/v1beta2', 'extensions/v1beta1'],
  Job: ['batch/v1'],
  CronJob: ['batch/v1', 'batch/v1beta1', 'batch/v2alpha1'],
  // Calico's and Cilium's own NetworkPolicy kinds live in other groups and mean other things.
  NetworkPolicy: ['networking.k8s.io/v1', 'extensions/v1beta1'],
};

const MAX_LIST_ITEMS = 100_000;

export function parseManifestFile(file: string, source: string, options: ParseOptions = {}): ManifestFile {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(source, { prettyErrors: false, strict: false }) as Document.Parsed[];
  } catch (err) {
    // `yaml` reports problems as document errors; a throw here is a parser bug, kept from spreading.
    const message = err instanceof Error ? err.message : String(err);
    return { file, documents: [emptyDocument({ file, start: 0, end: source.length }, [finding('yaml-syntax', { file, start: 0, end: 0 }, `Cannot parse: ${message}`)])] };
  }
  if (!Array.isArray(docs)) docs = [docs];
  return { file, documents: docs.map((doc) => parseDocument(file, source, doc, defaultNamespace)) };
}

function emptyDocument(span: SourceSpan, findings: Finding[]): ManifestDocument {
  return { span, findings, namespaces: [], podGroups: [], services: [], policies: [] };
}

function parseDocument(file: string, source: string, doc: Document.Parsed, defaultNamespace: string): ManifestDocument {
  const span: SourceSpan = { file, start: doc.range[0], end: doc.range[2] };
  const out = emptyDocument(span, []);
  const body = source.slice(span.start, span.end);
  // A Helm or other template is not a manifest until rendered: stay silent on it.
  if (body.includes('{{')) return out;
  const ctx: NodeContext = { file, doc };
  const root = doc.contents as Node | null;
  if (doc.errors.length > 0) {
    // Only speak up for documents that look like Kubernetes objects; other broken YAML is not ours.
    if (looksLikeKubernetes(body)) {
      const e = doc.errors[0]!;
      const first = e.message.split('\n')[0] ?? e.message;
      out.findings.push(finding('yaml-syntax', { file, start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1) }, first));
    }
    return out;
  }
  if (!isMap(root)) return out;
  addObject(ctx, root, defaultNamespace, out);
  return out;
}

function looksLikeKubernetes(body: string): boolean {
  return /^\s*apiVersion\s*:/m.test(body) && /^\s*kind\s*:/m.test(body);
}

function addObject(ctx: NodeContext, root: Node, defaultNamespace: string, out: ManifestDocument): void {
  const kind = text(ctx, get(ctx, root, 'kind'));
  const apiVersion = text(ctx, get(ctx, root, 'apiVersion'));
  if (kind === undefined || apiVersion === undefined) return;
  if (kind === 'List' && apiVersion === 'v1') {
    for (const item of items(ctx, get(ctx, root, 'items')).slice(0, MAX_LIST_ITEMS)) addObject(ctx, item, defaultNamespace, out);
    return;
  }
  if (!API_VERSIONS[kind]?.includes(apiVersion)) return;
  const header = readHeader(ctx, root, kind === 'Namespace' ? '' : defaultNamespace, out.findings);
  if (header === undefined) return;
  if (kind === 'Namespace') out.namespaces.push(buildNamespace(ctx, root, { ...header, namespace: header.name }));
  else if (kind === 'Service') out.services.push(buildService(ctx, root, header, out.findings));
  else if (kind === 'NetworkPolicy') out.policies.push(buildPolicy(ctx, root, header, out.findings));
  else if ((POD_KINDS as readonly string[]).includes(kind)) out.podGroups.push(buildPodGroup(ctx, root, kind as PodKind, header, out.findings));
}

function readHeader(ctx: NodeContext, root: Node, defaultNamespace: string, findings: Finding[]): ObjectHeader | undefined {
  const metadata = get(ctx, root, 'metadata');
  const nameNode = get(ctx, metadata, 'name');
  const name = text(ctx, nameNode) ?? text(ctx, get(ctx, metadata, 'generateName'));
  if (name === undefined || name === '') {
    findings.push(finding('object-invalid', spanOf(ctx, metadata ?? get(ctx, root, 'kind')), 'metadata.name is missing.'));
    return undefined;
  }
  const namespace = text(ctx, get(ctx, metadata, 'namespace')) || defaultNamespace;
  return { namespace, name, span: spanOf(ctx, root), nameSpan: spanOf(ctx, nameNode ?? metadata) };
}
