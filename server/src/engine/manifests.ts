/**
 * One file's text → the Kubernetes objects it holds, document by document.
 *
 * The file is split at its `---` lines and each document is parsed on its own:
 * a document that does not parse is reported and left out while the others
 * still count, and an editor that keeps a `DocumentCache` per file re-parses
 * only the document that changed. YAML that is not a network-relevant
 * Kubernetes object (CI workflows, compose files, Helm templates) yields
 * nothing at all.
 */
import { isMap, parseAllDocuments, type Document, type Node } from 'yaml';
import { buildPolicy } from './buildPolicy.js';
import { buildCalicoPolicy, CALICO_API_VERSIONS, CALICO_POLICY_KINDS, CALICO_STAGED_KINDS, isCalicoPolicy, isCalicoStagedPolicy, readTier } from './buildCalicoPolicy.js';
import { buildCiliumPolicies, CILIUM_API_VERSION, CILIUM_POLICY_KINDS } from './buildCiliumPolicy.js';
import { buildClusterPolicy, CLUSTER_POLICY_API_VERSIONS, CLUSTER_POLICY_KINDS } from './buildClusterPolicy.js';
import { buildService } from './buildService.js';
import { buildNamespace, buildPodGroup, type ObjectHeader } from './buildWorkloads.js';
import { CLUSTER_CONFIG_KINDS, emptyFacts, isCniConfig, isCniFileName, readClusterObject, readCniConfig, strictJsonError, type ClusterFacts } from './clusterConfig.js';
import { POD_KINDS, type NamespaceModel, type PodGroup, type PodKind, type PolicyModel, type ServiceAccountModel, type ServiceModel, type TierModel } from './model.js';
import { appendAll, capFindings, MAX_FINDINGS_PER_CODE } from './findingCap.js';
import { finding, type Finding } from './rules.js';
import { hasSchema, schemaFindings } from './schemaCheck.js';
import { controllerEntry, controllerPodGroups, OPERATOR_KINDS, operatorEntry, operatorPodGroups } from './operators.js';
import type { SourceSpan } from './source.js';
import { get, items, spanOf, stringMap, text, type NodeContext } from './yamlNodes.js';

/** Where an object is defined, to find the same object defined twice. */
export interface ObjectDefinition {
  /** kind/namespace/name */
  readonly key: string;
  readonly nameSpan: SourceSpan;
  /** The object's text without comments and blank lines: two definitions differ when these do. */
  readonly fingerprint: string;
}

export interface ManifestObjects {
  readonly definitions: ObjectDefinition[];
  readonly namespaces: NamespaceModel[];
  readonly podGroups: PodGroup[];
  readonly services: ServiceModel[];
  readonly policies: PolicyModel[];
  readonly serviceAccounts: ServiceAccountModel[];
  /** Calico Tier objects. */
  readonly tiers: TierModel[];
  /** Cluster network configuration: CNI configs, pod and Service ranges, overlays. */
  readonly cluster: ClusterFacts;
}

export interface ManifestDocument extends ManifestObjects {
  /** [start, end) of the document's text. */
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
  ServiceAccount: ['v1'],
  ReplicationController: ['v1'],
  Deployment: ['apps/v1', 'apps/v1beta1', 'apps/v1beta2', 'extensions/v1beta1'],
  StatefulSet: ['apps/v1', 'apps/v1beta1', 'apps/v1beta2'],
  DaemonSet: ['apps/v1', 'apps/v1beta2', 'extensions/v1beta1'],
  ReplicaSet: ['apps/v1', 'apps/v1beta2', 'extensions/v1beta1'],
  Job: ['batch/v1'],
  CronJob: ['batch/v1', 'batch/v1beta1', 'batch/v2alpha1'],
  // Calico's and Cilium's own NetworkPolicy kinds live in other groups and mean other things.
  NetworkPolicy: ['networking.k8s.io/v1', 'extensions/v1beta1'],
  CiliumNetworkPolicy: [CILIUM_API_VERSION],
  CiliumClusterwideNetworkPolicy: [CILIUM_API_VERSION],
  ...CLUSTER_POLICY_API_VERSIONS,
};

const MAX_LIST_ITEMS = 100_000;

export interface DocumentChunk {
  /** Offset of the chunk in the file. */
  readonly start: number;
  readonly text: string;
}

/**
 * Splits at lines that start with `---`. Such a line can only be a document
 * marker: block scalar content is always indented, and YAML forbids the marker
 * inside quoted scalars. The marker line stays with the document it opens.
 */
export function splitDocuments(source: string): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  let start = 0;
  // indexOf, not a regular expression with a lookbehind: this runs over a whole file on every keystroke in it.
  for (let at = source.indexOf('---'); at !== -1; at = source.indexOf('---', at + 3)) {
    // Only \n and \r break lines in YAML (not U+2028 or U+2029); the marker ends at a blank or the end of the text.
    const before = at === 0 ? '\n' : source[at - 1];
    const after = source[at + 3];
    if ((before !== '\n' && before !== '\r') || (after !== undefined && after !== ' ' && after !== '\t' && after !== '\r' && after !== '\n')) continue;
    if (at > start) chunks.push({ start, text: source.slice(start, at) });
    start = at;
  }
  chunks.push({ start, text: source.slice(start) });
  return chunks;
}

/**
 * What an editor keeps per file between edits: the models built from each
 * document's text at a given offset and, while `keepSyntax` is set, its
 * syntax tree. Parsing is the expensive part; a document that only moved (an
 * edit above it in the same file) is rebuilt from its kept tree. Syntax trees
 * are most of the memory a workspace costs, so an editor keeps them for the
 * files being edited only; a document of another file that moves is parsed
 * again.
 */
export class DocumentCache {
  private entries = new Map<string, { docs: Document.Parsed[] | undefined; built?: { offset: number; result: ManifestDocument[] } }>();
  private defaultNamespace: string | undefined;

  constructor(private keep = true) {}

  get keepSyntax(): boolean {
    return this.keep;
  }

  /** Turning it off lets go of the trees kept so far. */
  set keepSyntax(keep: boolean) {
    this.keep = keep;
    if (!keep) for (const entry of this.entries.values()) entry.docs = undefined;
  }

  /**
   * Takes what parseChunks built elsewhere (a worker thread, at start-up) for the chunks of a text, as if this cache
   * had built it: later edits then find every untouched document here, as after parseManifestFile.
   */
  seed(chunks: readonly DocumentChunk[], defaultNamespace: string, built: ReadonlyArray<ManifestDocument[] | undefined>): void {
    this.entries.clear();
    this.defaultNamespace = defaultNamespace;
    chunks.forEach((chunk, i) => {
      const result = built[i];
      if (result !== undefined) this.entries.set(chunk.text, { docs: undefined, built: { offset: chunk.start, result } });
    });
  }

  /** @internal */
  lookup(chunk: DocumentChunk, defaultNamespace: string, build: (docs: Document.Parsed[]) => ManifestDocument[]): ManifestDocument[] {
    if (defaultNamespace !== this.defaultNamespace) {
      this.entries.clear();
      this.defaultNamespace = defaultNamespace;
    }
    let entry = this.entries.get(chunk.text);
    if (entry === undefined) {
      entry = { docs: undefined };
      this.entries.set(chunk.text, entry);
    }
    if (entry.built === undefined || entry.built.offset !== chunk.start) {
      const docs = entry.docs ?? parseChunk(chunk.text);
      entry.built = { offset: chunk.start, result: build(docs) };
      entry.docs = this.keep ? docs : undefined;
    }
    return entry.built.result;
  }

  /** @internal Keeps only what the latest text uses, so the cache never outgrows the file. */
  retain(chunks: readonly DocumentChunk[]): void {
    const live = new Set(chunks.map((c) => c.text));
    for (const key of this.entries.keys()) if (!live.has(key)) this.entries.delete(key);
  }
}

/** Documents parsed from a re-indented text (see reindentQuotedScalars), with the way back to the chunk's offsets. */
const REINDENTED = new WeakMap<Document.Parsed, { text: string; map: number[] }>();

function parseText(text: string): Document.Parsed[] {
  try {
    return parseAllDocuments(text, { prettyErrors: false, strict: false }) as Document.Parsed[];
  } catch {
    // `yaml` reports problems as document errors; a throw would be a parser bug. Treat as unparseable.
    return [];
  }
}

function parseChunk(text: string): Document.Parsed[] {
  const docs = parseText(text);
  if (!docs.some((d) => d.errors.some((e) => e.code === 'MISSING_CHAR' || e.code === 'BAD_INDENT'))) return docs;
  const fixed = reindentQuotedScalars(text);
  if (fixed === undefined) return docs;
  const retry = parseText(fixed.text);
  if (retry.some((d) => d.errors.length > 0)) return docs;
  for (const d of retry) REINDENTED.set(d, fixed);
  return retry;
}

/**
 * Multus examples write JSON in a single-quoted scalar whose closing `}'`
 * sits at column 0. YAML 1.2 requires a flow scalar's continuation lines to
 * be indented past its mapping, so `yaml` rejects it; go-yaml, and with it
 * kubectl, accepts it. This indents such lines just enough and keeps, for
 * every character of the new text, its offset in the old one.
 */
export function reindentQuotedScalars(text: string): { text: string; map: number[] } | undefined {
  const lines = text.split('\n');
  const out: string[] = [];
  const map: number[] = [];
  let offset = 0;
  let open: { quote: string; indent: number } | undefined;
  let changed = false;
  for (const line of lines) {
    let emitted = line;
    let shift = 0;
    if (open !== undefined) {
      const indent = line.length - line.trimStart().length;
      if (line.trim() !== '' && indent < open.indent) {
        shift = open.indent - indent;
        emitted = ' '.repeat(shift) + line;
        changed = true;
      }
      if (closesQuote(line, open.quote)) open = undefined;
    } else {
      const m = /^(\s*)(?:-\s+)?[^#'"]*?:\s+(['"])/.exec(line) ?? /^(\s*)-\s+(['"])/.exec(line);
      if (m && !closesQuote(line.slice(m[0].length), m[2]!)) open = { quote: m[2]!, indent: m[1]!.length + 1 };
    }
    for (let i = 0; i < shift; i++) map.push(offset);
    for (let i = 0; i <= line.length; i++) map.push(offset + i);
    out.push(emitted);
    offset += line.length + 1;
  }
  return changed ? { text: out.join('\n'), map } : undefined;
}

/** Whether a quoted scalar's text (after its opening quote) closes on this line. */
function closesQuote(rest: string, quote: string): boolean {
  if (quote === "'") return /(^|[^'])'(''|$|[^'])/.test(rest.replace(/''/g, ''));
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '\\') i++;
    else if (rest[i] === '"') return true;
  }
  return false;
}

const RELEVANT_KINDS = ['List', ...Object.keys(API_VERSIONS), ...CALICO_POLICY_KINDS, ...CALICO_STAGED_KINDS, 'Tier', ...Object.keys(CLUSTER_CONFIG_KINDS), ...OPERATOR_KINDS];
/** Any relevant kind but ConfigMap, as a whole word: `ServiceAccount` or `PodDisruptionBudget` is not `Service` or `Pod`. */
const RELEVANT_KIND_WORD = new RegExp(`\\b(?:${RELEVANT_KINDS.filter((k) => k !== 'ConfigMap').join('|')})\\b`);
const NETWORK_CONFIG_KEYS = /net-conf\.json|cni-conf\.json|cni_network_config/;

/**
 * Whether a chunk can be skipped without parsing because no reading of it can
 * hold a network object: Secrets, RBAC, most CRDs, ConfigMaps without CNI
 * configuration. Parsing is most of the cost, and real repositories are mostly
 * such documents. It must never skip what the parser would read as a network
 * object, so it looks at no line structure (a quoted multi-line value can put
 * any `kind:` at the start of a line): a kind can only be spelt without
 * escapes as its whole word somewhere in the text, so a chunk with no
 * backslash and none of those words has none of those kinds.
 */
export function cannotHoldNetworkObject(file: string, text: string): boolean {
  // Escapes (\x50, \u0050, an escaped line break) spell words a substring search does not see.
  if (text.includes('\\')) return false;
  if (isCniFileName(file) || text.includes('cniVersion')) return false;
  if (RELEVANT_KIND_WORD.test(text)) return false;
  return !/\bConfigMap\b/.test(text) || !NETWORK_CONFIG_KEYS.test(text);
}

export function parseManifestFile(file: string, source: string, options: ParseOptions = {}, cache?: DocumentCache): ManifestFile {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const chunks = splitDocuments(source);
  const documents: ManifestDocument[] = [];
  for (const chunk of chunks) {
    if (cannotHoldNetworkObject(file, chunk.text)) continue;
    const build = (docs: Document.Parsed[]) => buildChunk(file, chunk, docs, defaultNamespace);
    appendAll(documents, cache ? cache.lookup(chunk, defaultNamespace, build) : build(parseChunk(chunk.text)));
  }
  cache?.retain(chunks);
  return { file, documents };
}

/**
 * What parseManifestFile builds from each of the chunks, in order, without a cache: undefined for a chunk it skips
 * unparsed. Joined (manifestOfChunks) they are the file parseManifestFile returns; a DocumentCache can be seeded with them.
 */
export function parseChunks(file: string, chunks: readonly DocumentChunk[], options: ParseOptions = {}): Array<ManifestDocument[] | undefined> {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  return chunks.map((chunk) => (cannotHoldNetworkObject(file, chunk.text) ? undefined : buildChunk(file, chunk, parseChunk(chunk.text), defaultNamespace)));
}

export function manifestOfChunks(file: string, built: ReadonlyArray<ManifestDocument[] | undefined>): ManifestFile {
  const documents: ManifestDocument[] = [];
  for (const docs of built) if (docs !== undefined) appendAll(documents, docs);
  return { file, documents };
}

function buildChunk(file: string, chunk: DocumentChunk, docs: Document.Parsed[], defaultNamespace: string): ManifestDocument[] {
  if (docs.length === 0 && chunk.text.trim() !== '' && looksLikeKubernetes(chunk.text)) {
    const span = { file, start: chunk.start, end: chunk.start + chunk.text.length };
    return [emptyDocument(span, [finding('yaml-syntax', { file, start: chunk.start, end: chunk.start + 1 }, 'This document cannot be parsed.')])];
  }
  return docs.map((doc) => isolated(file, chunk, () => parseDocument(file, chunk, doc, defaultNamespace)));
}

/**
 * Builds one document's model so that nothing in it can stop the others: a
 * bug or a resource limit hit while reading it leaves that one document out,
 * with a finding saying so, and the rest of the file and workspace still count.
 */
function isolated(file: string, chunk: DocumentChunk, build: () => ManifestDocument): ManifestDocument {
  try {
    const doc = build();
    return doc.findings.length > MAX_FINDINGS_PER_CODE ? { ...doc, findings: capFindings(doc.findings) } : doc;
  } catch (err) {
    const span = { file, start: chunk.start, end: chunk.start + chunk.text.length };
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return emptyDocument(span, [finding('object-invalid', { file, start: chunk.start, end: chunk.start + 1 }, { says: `Netlens could not read this document (${reason}); it is left out of the analysis.`, next: 'If the API server accepts it, please report it to Netlens with the document.' })]);
  }
}

function emptyDocument(span: SourceSpan, findings: Finding[]): ManifestDocument {
  return { span, findings, definitions: [], namespaces: [], podGroups: [], services: [], policies: [], serviceAccounts: [], tiers: [], cluster: emptyFacts() };
}

function parseDocument(file: string, chunk: DocumentChunk, doc: Document.Parsed, defaultNamespace: string): ManifestDocument {
  const reindented = REINDENTED.get(doc);
  const at = (i: number) => chunk.start + (reindented ? (reindented.map[Math.min(i, reindented.map.length - 1)] ?? 0) : i);
  const span: SourceSpan = { file, start: at(doc.range[0]), end: at(doc.range[2]) };
  const out = emptyDocument(span, []);
  const source = reindented?.text ?? chunk.text;
  const body = source.slice(doc.range[0], doc.range[2]);
  // A Helm or other template is not a manifest until rendered: stay silent on it.
  if (body.includes('{{')) return out;
  const ctx: NodeContext = reindented ? { file, doc, offset: chunk.start, source, mapOffset: at } : { file, doc, offset: chunk.start, source };
  const root = doc.contents as Node | null;
  const cniLike = looksLikeCni(file, body);
  if (doc.errors.length > 0) {
    // Only speak up for documents that look like Kubernetes objects or CNI configs; other broken YAML is not ours.
    if (looksLikeKubernetes(body) || cniLike) {
      const e = doc.errors[0]!;
      const text = /call stack/i.test(e.message)
        ? { says: 'This document is nested too deeply to read.', next: 'Flatten the nesting; until then the document is ignored.' }
        : (e.message.split('\n')[0] ?? e.message);
      const start = chunk.start + e.pos[0];
      out.findings.push(finding('yaml-syntax', { file, start, end: Math.max(chunk.start + e.pos[1], start + 1) }, text));
    }
    return out;
  }
  if (!isMap(root)) return out;
  if (cniLike && get(ctx, root, 'kind') === undefined && body.trimStart().startsWith('{')) {
    // Runtimes read CNI configs with a strict JSON parser: comments and trailing commas break them.
    // (YAML would read a // comment as part of a key, so this comes before looking at keys.)
    try {
      JSON.parse(body);
    } catch (err) {
      const e = strictJsonError(body, err);
      const start = span.start + e.position;
      out.findings.push(finding('yaml-syntax', { file, start, end: start + 1 }, `Not valid JSON, which CNI runtimes require: ${e.message}`));
      return out;
    }
    if (isCniConfig(ctx, root)) readCniConfig(ctx, root, out.findings, out.cluster, false);
    return out;
  }
  addObject(ctx, root, defaultNamespace, out);
  return out;
}

/** A CNI config names its version, or is a JSON object in a .conf/.conflist file. */
function looksLikeCni(file: string, body: string): boolean {
  return /"cniVersion"\s*:/.test(body) || (isCniFileName(file) && body.trimStart().startsWith('{'));
}

/** An object's text without blank lines, comments and trailing blanks: equal for the same object written twice. */
function fingerprintOf(source: string): string {
  return source
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .join('\n');
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
  if (CLUSTER_CONFIG_KINDS[kind]?.includes(apiVersion)) {
    readClusterObject(ctx, root, kind, out.findings, out.cluster);
    return;
  }
  const operator = operatorEntry(apiVersion, kind);
  if (operator !== undefined) {
    const header = readHeader(ctx, root, defaultNamespace, out.findings);
    if (header !== undefined) appendAll(out.podGroups, operatorPodGroups(ctx, root, operator, header));
    return;
  }
  if (isCalicoPolicy(kind, apiVersion) || (kind === 'Tier' && (CALICO_API_VERSIONS as readonly string[]).includes(apiVersion))) {
    addCalicoObject(ctx, root, kind, defaultNamespace, out);
    return;
  }
  if (isCalicoStagedPolicy(kind, apiVersion)) {
    const enforced = kind === 'StagedKubernetesNetworkPolicy' ? 'Kubernetes NetworkPolicy' : kind.replace('Staged', '');
    out.findings.push(finding('calico-staged-policy', spanOf(ctx, get(ctx, root, 'kind')), `A ${kind} previews its rules and enforces nothing, so Netlens leaves it out of every verdict; as a ${enforced} it would take part.`));
    return;
  }
  if (!API_VERSIONS[kind]?.includes(apiVersion)) return;
  const clusterScoped = kind === 'Namespace' || kind === 'CiliumClusterwideNetworkPolicy' || CLUSTER_POLICY_KINDS.includes(kind);
  const header = readHeader(ctx, root, clusterScoped ? '' : defaultNamespace, out.findings);
  if (header === undefined) return;
  const range = (root as Node).range;
  if (range) {
    const fingerprint = fingerprintOf(ctx.source.slice(range[0], range[1]));
    out.definitions.push({ key: `${kind}/${kind === 'Namespace' ? '' : header.namespace}/${header.name}`, nameSpan: header.nameSpan, fingerprint });
  }
  if (kind === 'Namespace') out.namespaces.push(buildNamespace(ctx, root, { ...header, namespace: header.name }, out.findings));
  else if (kind === 'ServiceAccount') out.serviceAccounts.push({ namespace: header.namespace, name: header.name, labels: new Map(stringMap(ctx, get(ctx, root, 'metadata', 'labels'))) });
  else if (kind === 'Service') out.services.push(buildService(ctx, root, header, out.findings));
  else if (kind === 'NetworkPolicy') out.policies.push(buildPolicy(ctx, root, header, out.findings));
  else if ((CILIUM_POLICY_KINDS as readonly string[]).includes(kind)) appendAll(out.policies, buildCiliumPolicies(ctx, root, kind, header, out.findings));
  else if (CLUSTER_POLICY_KINDS.includes(kind)) out.policies.push(buildClusterPolicy(ctx, root, kind, header, out.findings));
  if (hasSchema(kind) && apiVersion === API_VERSIONS[kind]![0]) appendAll(out.findings, schemaFindings(ctx, root, kind, out.findings));
  else if ((POD_KINDS as readonly string[]).includes(kind)) {
    const group = buildPodGroup(ctx, root, kind as PodKind, header, out.findings);
    const controller = controllerEntry(kind, group.labels);
    appendAll(out.podGroups, controller === undefined ? [group] : controllerPodGroups(ctx, root, controller, group));
  }
}

/** Calico's own NetworkPolicy, GlobalNetworkPolicy and Tier (another API group than Kubernetes' NetworkPolicy). */
function addCalicoObject(ctx: NodeContext, root: Node, kind: string, defaultNamespace: string, out: ManifestDocument): void {
  const header = readHeader(ctx, root, kind === 'NetworkPolicy' ? defaultNamespace : '', out.findings);
  if (header === undefined) return;
  if (kind === 'Tier') {
    out.tiers.push(readTier(ctx, root, header.name));
    return;
  }
  const range = (root as Node).range;
  if (range) out.definitions.push({ key: `projectcalico.org ${kind}/${header.namespace}/${header.name}`, nameSpan: header.nameSpan, fingerprint: fingerprintOf(ctx.source.slice(range[0], range[1])) });
  out.policies.push(buildCalicoPolicy(ctx, root, kind, header, out.findings));
  appendAll(out.findings, schemaFindings(ctx, root, `Calico ${kind}`, out.findings));
}

function readHeader(ctx: NodeContext, root: Node, defaultNamespace: string, findings: Finding[]): ObjectHeader | undefined {
  const metadata = get(ctx, root, 'metadata');
  const nameNode = get(ctx, metadata, 'name');
  const name = text(ctx, nameNode) ?? text(ctx, get(ctx, metadata, 'generateName'));
  if (name === undefined || name === '') {
    findings.push(finding('object-invalid', spanOf(ctx, metadata ?? get(ctx, root, 'kind')), { says: 'metadata.name is missing.', next: 'Add a name under metadata; the API server requires one.' }));
    return undefined;
  }
  const namespaceNode = get(ctx, metadata, 'namespace');
  const written = text(ctx, namespaceNode);
  const header = { namespace: written || defaultNamespace, name, span: spanOf(ctx, root), nameSpan: spanOf(ctx, nameNode ?? metadata) };
  return written ? { ...header, namespaceSpan: spanOf(ctx, namespaceNode!) } : header;
}
