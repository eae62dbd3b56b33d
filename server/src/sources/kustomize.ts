/**
 * Kustomize as a source: finds the kustomization roots among the workspace's
 * files, renders each with `kubectl kustomize` (or `kustomize build`), and
 * hands the engine the rendered objects with a way back to the base or
 * overlay file each came from (kustomize's origin annotations, then the same
 * YAML path in that file). Without the binary, the kustomization's own
 * `namespace` is applied natively.
 */
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments, parseDocument, type Node } from 'yaml';
import { RULES, splitDocuments, type Finding, type SourceSpan } from '../engine/index.js';
import { pathAt, rangeAlong, remapFindings, samePlaceIn } from './remap.js';

export const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

interface Kustomization {
  readonly dir: string;
  readonly file: string;
  readonly namespace: string | undefined;
  /** A `kind: Component` is only built as part of another kustomization, never alone. */
  readonly component: boolean;
  /** Folders it builds on (resources, bases, components that are directories). */
  readonly bases: readonly string[];
  /** Files it names directly (resources, patches): raw, they would be read twice or half. */
  readonly files: readonly string[];
  /** Resources it fetches over the network (URLs, git repositories), as written. */
  readonly remote: readonly string[];
  /** Files it names as patches only: fragments of objects defined elsewhere. */
  readonly patches: readonly string[];
}

/** A resource kustomize fetches: a URL, a git address, or a repository path on a well-known forge. */
function isRemote(entry: string): boolean {
  return /^[a-z]+:\/\//i.test(entry) || entry.startsWith('git@') || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry);
}

function readKustomization(file: string, text: string): Kustomization | undefined {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return undefined;
  const value = doc.toJS() as Record<string, unknown> | null;
  if (value === null || typeof value !== 'object') return undefined;
  const dir = path.dirname(file);
  const entries = (key: string): string[] => (Array.isArray(value[key]) ? (value[key] as unknown[]) : []).flatMap((e) => (typeof e === 'string' ? [e] : typeof e === 'object' && e !== null && typeof (e as { path?: unknown }).path === 'string' ? [(e as { path: string }).path] : []));
  const bases: string[] = [];
  const files: string[] = [];
  const remote: string[] = [];
  const patchEntries = [...entries('patches'), ...entries('patchesStrategicMerge'), ...entries('patchesJson6902')];
  for (const entry of [...entries('resources'), ...entries('bases'), ...entries('components'), ...patchEntries]) {
    if (isRemote(entry)) {
      remote.push(entry);
      continue;
    }
    const target = path.resolve(dir, entry);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(target);
    } catch {
      continue;
    }
    (stat.isDirectory() ? bases : files).push(target);
  }
  const resources = new Set([...entries('resources'), ...entries('bases')].map((e) => path.resolve(dir, e)));
  const patches = patchEntries.map((e) => path.resolve(dir, e)).filter((f) => files.includes(f) && !resources.has(f));
  return { dir, file, namespace: typeof value['namespace'] === 'string' ? value['namespace'] : undefined, component: value['kind'] === 'Component', bases, files, remote, patches };
}

/**
 * The workspace's files that some kustomization names as a patch (and none as
 * a resource), as the caller names them. A patch is a fragment of an object
 * defined elsewhere, often a name and the one field it changes: read as an
 * object it is a second, partial definition, or a workload that does not exist
 * (a Component's patch on a Deployment of another install). So patches stay out
 * of the analysis whether or not their kustomization renders, and also where no
 * root of the workspace uses it (a Component used from another folder).
 */
export function kustomizePatchFiles(texts: ReadonlyMap<string, string>): Set<string> {
  const named = new Set<string>();
  const resources = new Set<string>();
  for (const [file, text] of texts) {
    if (!KUSTOMIZATION_FILES.has(path.basename(file))) continue;
    const k = readKustomization(path.resolve(file), text);
    if (k === undefined) continue;
    k.patches.forEach((f) => named.add(f));
    k.files.filter((f) => !k.patches.includes(f)).forEach((f) => resources.add(f));
  }
  return new Set([...texts.keys()].filter((file) => named.has(path.resolve(file)) && !resources.has(path.resolve(file))));
}

export interface KustomizeTree {
  readonly root: Kustomization;
  /** Every kustomization the root builds on, the root included. */
  readonly members: readonly Kustomization[];
  /** Manifest files the tree accounts for: its kustomization files and the files they name. */
  readonly files: ReadonlySet<string>;
}

/** Roots are kustomizations that no other kustomization of the workspace builds on. */
export function kustomizeTrees(texts: ReadonlyMap<string, string>): KustomizeTree[] {
  const byDir = new Map<string, Kustomization>();
  for (const [file, text] of texts) {
    if (!KUSTOMIZATION_FILES.has(path.basename(file))) continue;
    const k = readKustomization(path.resolve(file), text);
    if (k !== undefined) byDir.set(k.dir, k);
  }
  const referenced = new Set([...byDir.values()].flatMap((k) => k.bases));
  const trees: KustomizeTree[] = [];
  for (const root of byDir.values()) {
    if (referenced.has(root.dir) || root.component) continue;
    const members: Kustomization[] = [];
    const seen = new Set<string>();
    const visit = (dir: string) => {
      if (seen.has(dir)) return;
      seen.add(dir);
      const k = byDir.get(dir) ?? (texts.size > 0 ? readFromDisk(dir) : undefined);
      if (k === undefined) return;
      members.push(k);
      k.bases.forEach(visit);
    };
    visit(root.dir);
    const files = new Set<string>();
    for (const [file] of texts) {
      const abs = path.resolve(file);
      // Only what a kustomization names: a folder's other files are applied on their own (rook's examples hold both).
      if (members.some((m) => m.file === abs || m.files.includes(abs))) files.add(file);
    }
    trees.push({ root, members, files });
  }
  return trees;
}

function readFromDisk(dir: string): Kustomization | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const file = path.join(dir, name);
    try {
      return readKustomization(file, fs.readFileSync(file, 'utf8'));
    } catch {
      // try the next name
    }
  }
  return undefined;
}

export type RenderResult =
  | {
      readonly ok: true;
      readonly text: string;
      readonly wrapperDir: string;
      /** Set when unsaved buffers were rendered from a copy of the tree: origins under it name the real files below `/`. */
      readonly mirrorDir?: string;
    }
  | { readonly ok: false; readonly missingBinary: boolean; readonly error: string };

/** The wrapper kustomization asking for origin annotations, so the user's own kustomization.yaml stays untouched. */
function writeWrapper(parent: string, rootDir: string, binary: string): { wrapperDir: string; args: string[] } {
  const wrapperDir = fs.mkdtempSync(path.join(parent, 'netlens-kustomize-'));
  const relative = path.relative(wrapperDir, rootDir).split(path.sep).join('/');
  fs.writeFileSync(path.join(wrapperDir, 'kustomization.yaml'), `resources: [${JSON.stringify(relative)}]\nbuildMetadata: [originAnnotations]\n`);
  const args = path.basename(binary).startsWith('kustomize') ? ['build', wrapperDir] : ['kustomize', wrapperDir];
  return { wrapperDir, args };
}

function renderOutcome(binary: string, error: Error | undefined | null, status: number | null, stdout: string, stderr: string, timeout: number): { ok: true; text: string } | Extract<RenderResult, { ok: false }> {
  // Killed at the timeout (execFile), or ETIMEDOUT (spawnSync).
  if ((error as { killed?: boolean } | null | undefined)?.killed === true || (error as NodeJS.ErrnoException | null | undefined)?.code === 'ETIMEDOUT') {
    return { ok: false, missingBinary: false, error: `it did not finish within ${timeout / 1000} s` };
  }
  // A string code is a failure to run at all (ENOENT, too much output); a number is the exit status.
  if (typeof (error as NodeJS.ErrnoException | null | undefined)?.code === 'string') {
    error = error!;
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, missingBinary: missing, error: missing ? `${binary} is not installed` : error.message };
  }
  if (status !== 0) return { ok: false, missingBinary: false, error: lastLine(stderr) };
  return { ok: true, text: stdout };
}

/**
 * How long a render may take. kubectl takes well under 5 s for large trees;
 * what runs longer is usually waiting on the network for remote resources,
 * and renders run one root after another, so one stuck root must not hold
 * the others for long.
 */
export const RENDER_TIMEOUT_MS = 20_000;

function renderOptions(timeout: number) {
  return { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout } as const;
}

/**
 * Renders a root through a wrapper kustomization.
 * `binary` is `kubectl` (run as `kubectl kustomize`) or `kustomize` (`kustomize build`).
 */
export function renderKustomization(rootDir: string, binary: string, timeout = RENDER_TIMEOUT_MS): RenderResult {
  const { wrapperDir, args } = writeWrapper(os.tmpdir(), rootDir, binary);
  try {
    const run = spawnSync(binary, args, renderOptions(timeout));
    const outcome = renderOutcome(binary, run.error, run.status, run.stdout, run.stderr, timeout);
    return outcome.ok ? { ...outcome, wrapperDir } : outcome;
  } finally {
    fs.rmSync(wrapperDir, { recursive: true, force: true });
  }
}

/**
 * Renders a tree without blocking, from `buffers` (unsaved editor texts by
 * absolute path) where it has any: then from a copy of the tree's folders
 * laid out under a scratch folder at their absolute paths, so relative
 * references between bases and overlays still resolve. What the copy lacks
 * (a generator's file in a subfolder) makes the render fail, and the caller
 * keeps its last good one.
 */
export async function renderTree(tree: KustomizeTree, binary: string, buffers: ReadonlyMap<string, string>, timeout = RENDER_TIMEOUT_MS): Promise<RenderResult> {
  const touched = treeSources(tree).some((f) => buffers.has(f));
  const mirrorDir = touched ? fs.mkdtempSync(path.join(os.tmpdir(), 'netlens-kustomize-mirror-')) : undefined;
  try {
    if (mirrorDir !== undefined) {
      for (const file of treeSources(tree)) {
        const text = buffers.get(file) ?? tryReadFile(file);
        if (text === undefined) continue;
        fs.mkdirSync(path.join(mirrorDir, path.dirname(file)), { recursive: true });
        fs.writeFileSync(path.join(mirrorDir, file), text);
      }
    }
    const rootDir = mirrorDir === undefined ? tree.root.dir : path.join(mirrorDir, tree.root.dir);
    const { wrapperDir, args } = writeWrapper(mirrorDir ?? os.tmpdir(), rootDir, binary);
    try {
      const outcome = await new Promise<ReturnType<typeof renderOutcome>>((resolve) =>
        execFile(binary, args, renderOptions(timeout), (error, stdout, stderr) =>
          resolve(renderOutcome(binary, error, error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr, timeout)),
        ),
      );
      return outcome.ok ? { ...outcome, wrapperDir, ...(mirrorDir === undefined ? {} : { mirrorDir }) } : outcome;
    } finally {
      fs.rmSync(wrapperDir, { recursive: true, force: true });
    }
  } finally {
    if (mirrorDir !== undefined) fs.rmSync(mirrorDir, { recursive: true, force: true });
  }
}

/** The files a render reads: every regular file of the tree's folders, and the files its kustomizations name elsewhere. */
export function treeSources(tree: KustomizeTree): string[] {
  const files = new Set<string>();
  for (const member of tree.members) {
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(member.dir, { withFileTypes: true });
    } catch {
      // a folder gone since the tree was read: the render says what is missing
    }
    for (const e of entries) if (e.isFile()) files.add(path.join(member.dir, e.name));
    files.add(member.file);
    member.files.forEach((f) => files.add(f));
  }
  return [...files];
}

export function tryReadFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The raw files a rendered tree stands for. The kustomization files themselves stay: the engine reads kustomize trees off them. */
export function renderedAway(tree: KustomizeTree): string[] {
  return [...tree.files].filter((f) => !KUSTOMIZATION_FILES.has(path.basename(f)));
}

/** Resources the tree's kustomizations fetch over the network. */
export function remoteResources(tree: KustomizeTree): string[] {
  return tree.members.flatMap((m) => m.remote);
}

/**
 * The finding on a root the binary could not render. Where the tree names
 * remote resources the finding says so first: offline, or behind a proxy,
 * that is the usual cause, and kubectl's own error is long.
 */
export function notRenderedFinding(rootFile: string, binary: string, error: string, keptLastRender = false, remote: readonly string[] = []): Finding {
  const fallback = keptLastRender ? 'the last render that worked is analysed' : 'its files are analysed with only its namespace applied';
  const fetched = remote.length === 0 ? '' : ` It names remote resources (${remote[0]}${remote.length > 1 ? ` and ${remote.length - 1} more` : ''}), which ${binary} fetches over the network.`;
  return {
    code: 'kustomize-not-rendered',
    severity: RULES['kustomize-not-rendered'].severity,
    message: `${binary} could not render this kustomization, so ${fallback}.${fetched} ${binary} said: ${error}`,
    span: { file: rootFile, start: 0, end: 0 },
    related: [],
  };
}

/** A finding object never changes: its key is made once, not on every keystroke for every finding of the workspace. */
const findingKeys = new WeakMap<Finding, string>();

function findingKey(f: Finding): string {
  let key = findingKeys.get(f);
  if (key === undefined) findingKeys.set(f, (key = `${f.code}\u0000${f.span.file}\u0000${f.span.start}\u0000${f.span.end}\u0000${f.message}`));
  return key;
}

/** Two overlays of one base render its objects twice; mapped back, their findings coincide: keep one. */
export function uniqueFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = findingKey(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** kubectl's reason, without its log prefix: the text after `err=`, else the last line. */
function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && l !== '>' && !l.startsWith('#'));
  const at = lines.findIndex((l) => l.includes('err='));
  const reason = at === -1 ? (lines[lines.length - 1] ?? '') : [lines[at]!.slice(lines[at]!.indexOf('err=') + 4), ...lines.slice(at + 1)].join(' ');
  const clean = reason.replace(/^[<"]\s*/, '').replace(/"$/, '');
  // kustomize nests its errors outermost first: the cause is at the end.
  return clean.length > 300 ? `…${clean.slice(-300)}` : clean;
}

/** One rendered object and the file it came from. */
interface RenderedObject {
  readonly start: number;
  readonly end: number;
  readonly origin: string | undefined;
  readonly kind: string | undefined;
  readonly name: string | undefined;
}

export interface RenderedRoot {
  /** The name the engine sees for the rendered text: the root's kustomization file plus a suffix. */
  readonly virtualFile: string;
  readonly text: string;
  readonly objects: readonly RenderedObject[];
}

/** `rootFile` is the root's kustomization file as the caller names files (relative or absolute). */
export function renderedRoot(rootFile: string, render: Extract<RenderResult, { ok: true }>): RenderedRoot {
  const objects: RenderedObject[] = [];
  for (const chunk of splitDocuments(render.text)) {
    const origin = /config\.kubernetes\.io\/origin: \|\n\s+path: (.+)\n/.exec(chunk.text)?.[1]?.trim();
    objects.push({
      start: chunk.start,
      end: chunk.start + chunk.text.length,
      origin: origin === undefined ? undefined : realOrigin(path.resolve(render.wrapperDir, origin), render.mirrorDir),
      kind: /^kind:\s*(\S+)/m.exec(chunk.text)?.[1],
      name: /^ {2}name:\s*(\S+)/m.exec(chunk.text)?.[1],
    });
  }
  return { virtualFile: `${rootFile}#rendered`, text: render.text, objects };
}

function realOrigin(file: string, mirrorDir: string | undefined): string {
  if (mirrorDir === undefined || !file.startsWith(mirrorDir + path.sep)) return file;
  return file.slice(mirrorDir.length);
}

/** Source files parsed for mapping, by absolute path, kept while their text stays the same. */
export type SourceDocuments = Map<string, { text: string; docs: ReturnType<typeof parseAllDocuments> }>;

/** The source object a rendered object came from: found by kind and by name (which kustomize may prefix or suffix), or the file's only object. */
type SourceDoc = { toJS(): unknown; contents: Node | null };

function sourceObject(object: RenderedObject, docs: readonly SourceDoc[]): SourceDoc | undefined {
  return (
    docs.find((d) => {
      const v = d.toJS() as { kind?: unknown; metadata?: { name?: unknown } } | null;
      return v?.kind === object.kind && typeof v?.metadata?.name === 'string' && object.name !== undefined && object.name.includes(v.metadata.name);
    }) ?? (docs.length === 1 ? docs[0] : undefined)
  );
}

/**
 * Both ways between a root's rendered text and the files the user edits,
 * matching the same YAML path in the rendered object and its origin object.
 */
export class RenderedSpans {
  private readonly renderedDocs = new Map<RenderedObject, ReturnType<typeof parseDocument>>();

  constructor(
    readonly root: RenderedRoot,
    private readonly readSource: (file: string) => string | undefined,
    private readonly fileName: (absolute: string) => string = (f) => f,
    private readonly parsed: SourceDocuments = new Map(),
  ) {}

  private sourceDocs(file: string): readonly SourceDoc[] {
    const text = this.readSource(file) ?? '';
    let entry = this.parsed.get(file);
    if (entry === undefined || entry.text !== text) this.parsed.set(file, (entry = { text, docs: parseAllDocuments(text) }));
    return Array.isArray(entry.docs) ? entry.docs : [];
  }

  private renderedDoc(object: RenderedObject) {
    let doc = this.renderedDocs.get(object);
    if (doc === undefined) this.renderedDocs.set(object, (doc = parseDocument(this.root.text.slice(object.start, object.end))));
    return doc;
  }

  /** A span of the rendered text, moved to the origin file (else to the root's kustomization file); other spans as they are. */
  readonly toSource = (span: SourceSpan): SourceSpan => {
    const root = this.root;
    if (span.file !== root.virtualFile) return span;
    const object = root.objects.find((o) => o.start <= span.start && span.start < o.end);
    if (object?.origin === undefined) return { file: root.virtualFile.replace(/#rendered$/, ''), start: 0, end: 0 };
    const match = sourceObject(object, this.sourceDocs(object.origin));
    const file = this.fileName(object.origin);
    if (match === undefined) return { file, start: 0, end: 0 };
    const steps = pathAt(this.renderedDoc(object).contents, span.start - object.start, span.end - object.start);
    const range = rangeAlong(match.contents, steps);
    return range === undefined ? { file, start: 0, end: 0 } : { file, start: range[0], end: range[1] };
  };

  /**
   * Where an offset of an origin file (an absolute path) lands in the rendered
   * text: the same YAML path in each object rendered from the object there,
   * the same distance into a scalar. Empty when nothing rendered comes from it.
   */
  toRendered(file: string, offset: number): number[] {
    const out: number[] = [];
    for (const object of this.root.objects) {
      if (object.origin !== file) continue;
      const match = sourceObject(object, this.sourceDocs(file));
      const r = match?.contents?.range;
      if (match === undefined || r === undefined || r === null || offset < r[0] || offset > r[2]) continue;
      const at = samePlaceIn(match.contents, this.renderedDoc(object).contents, offset);
      if (at !== undefined) out.push(object.start + at);
    }
    return out;
  }
}

/** Maps the findings on a root's rendered text back to the files the user edits (RenderedSpans.toSource). */
export function mapRenderedSpans(
  root: RenderedRoot,
  findings: readonly Finding[],
  readSource: (file: string) => string | undefined,
  fileName: (absolute: string) => string = (f) => f,
  parsed: SourceDocuments = new Map(),
): Finding[] {
  return remapFindings(root.virtualFile, findings, new RenderedSpans(root, readSource, fileName, parsed).toSource);
}
