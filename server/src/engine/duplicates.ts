/**
 * object-defined-twice: the same kind/namespace/name defined again with
 * different contents. The definitions of each file are added and removed as
 * files come and go (a file's contents are one object until its text
 * changes), so an edit costs the definitions of the files it changed, not
 * those of the whole workspace.
 */
import type { ObjectDefinition } from './manifests.js';
import { finding, type Finding } from './rules.js';

/** The definitions of one version of one file. */
export interface FileDefinitions {
  readonly file: string;
  readonly definitions: readonly ObjectDefinition[];
}

interface Placed {
  readonly owner: FileDefinitions;
  /** Its position among the owner's definitions. */
  readonly at: number;
}

const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

function directoryOf(file: string): string {
  return file.slice(0, Math.max(0, file.lastIndexOf('/')));
}

/** Folders holding a kustomization: objects below them are bases and patches, redefined on purpose. */
function kustomizeDirectories(files: readonly string[]): string[] {
  return files.filter((f) => KUSTOMIZATION_FILES.has(f.slice(f.lastIndexOf('/') + 1))).map(directoryOf);
}

export class DuplicateDefinitions {
  private readonly byKey = new Map<string, Placed[]>();
  /** Keys defined more than once: the only ones that can have findings. */
  private readonly repeated = new Set<string>();
  private files = new Set<FileDefinitions>();
  private lastList: readonly FileDefinitions[] = [];

  /** The findings for this list of files, in the order of the later definitions. */
  findings(files: readonly FileDefinitions[]): Finding[] {
    const last = this.lastList;
    if (last.length === files.length) {
      // The same number of files, the usual edit: only the positions holding another version are looked at
      // (a file's contents appear once in a list, so what left one position and came to another is kept).
      const removed: FileDefinitions[] = [];
      const added: FileDefinitions[] = [];
      for (let i = 0; i < files.length; i++) {
        if (files[i] === last[i]) continue;
        removed.push(last[i]!);
        added.push(files[i]!);
      }
      const stays = new Set(added);
      for (const owner of removed) if (!stays.has(owner) && this.files.delete(owner)) this.remove(owner);
      for (const owner of added) {
        if (this.files.has(owner)) continue;
        this.files.add(owner);
        this.add(owner);
      }
    } else {
      const now = new Set(files);
      for (const owner of this.files) if (!now.has(owner)) this.remove(owner);
      for (const owner of now) if (!this.files.has(owner)) this.add(owner);
      this.files = now;
    }
    this.lastList = files;
    if (this.repeated.size === 0) return [];
    const position = new Map(files.map((f, i) => [f, i]));
    const kustomizeDirs = kustomizeDirectories(files.map((f) => f.file));
    const inKustomizeTree = (file: string) => kustomizeDirs.some((d) => file.startsWith(`${d}/`));
    const found: Array<{ owner: number; at: number; finding: Finding }> = [];
    for (const key of this.repeated) {
      const placed = this.byKey.get(key)!.slice().sort((a, b) => position.get(a.owner)! - position.get(b.owner)! || a.at - b.at);
      const prior = placed[0]!;
      const first = prior.owner.definitions[prior.at]!;
      for (const p of placed.slice(1)) {
        const definition = p.owner.definitions[p.at]!;
        if (first.fingerprint === definition.fingerprint || (inKustomizeTree(prior.owner.file) && inKustomizeTree(p.owner.file))) continue;
        found.push({ owner: position.get(p.owner)!, at: p.at, finding: twice(definition, first) });
      }
    }
    return found.sort((a, b) => a.owner - b.owner || a.at - b.at).map((f) => f.finding);
  }

  private add(owner: FileDefinitions): void {
    owner.definitions.forEach((definition, at) => {
      const list = this.byKey.get(definition.key);
      if (list === undefined) this.byKey.set(definition.key, [{ owner, at }]);
      else {
        list.push({ owner, at });
        this.repeated.add(definition.key);
      }
    });
  }

  private remove(owner: FileDefinitions): void {
    for (const definition of owner.definitions) {
      const list = this.byKey.get(definition.key);
      if (list === undefined) continue;
      const left = list.filter((p) => p.owner !== owner);
      if (left.length === 0) this.byKey.delete(definition.key);
      else this.byKey.set(definition.key, left);
      if (left.length < 2) this.repeated.delete(definition.key);
    }
  }
}

function twice(definition: ObjectDefinition, prior: ObjectDefinition): Finding {
  const [kind, namespace, name] = definition.key.split('/');
  return finding(
    'object-defined-twice',
    definition.nameSpan,
    `${kind} ${namespace ? `${namespace}/` : ''}${name} is defined twice with different contents; the cluster keeps whichever is applied last.`,
    [{ span: prior.nameSpan, message: 'the other definition' }],
  );
}
