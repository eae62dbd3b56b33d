/**
 * End-to-end test suites keep, beside the manifests they apply, files of what
 * they expect to find in the cluster: chainsaw's `assert` and `error` files
 * and kuttl's `NN-assert.yaml` and `NN-errors.yaml`. Those are partial objects
 * by design (a Pod without a name, a Deployment without its spec) that are
 * matched against a cluster and never applied: read as manifests, they are
 * objects that do not exist, and every check on them is noise. This finds
 * them among the workspace's files, named as the caller names files (paths
 * or file: uris, `/`-separated), from the suites' own files.
 */
import { parseAllDocuments } from 'yaml';

const CHAINSAW_API = 'chainsaw.kyverno.io/';
/** kuttl's step files, and chainsaw's when it runs a kuttl-style folder: `00-assert.yaml`, `01-errors-pod.yaml`. */
const STEP_EXPECTATION = /^\d+-(?:assert|errors)(?:[-.][^/]*)?\.ya?ml$/;

const folderOf = (file: string): string => file.slice(0, file.lastIndexOf('/'));
const nameOf = (file: string): string => file.slice(file.lastIndexOf('/') + 1);

/** Whether a file is a suite's own: a chainsaw Test, or a kuttl TestSuite's kuttl-test.yaml. */
export function isTestSuite(file: string, text: string): boolean {
  return nameOf(file) === 'kuttl-test.yaml' || (text.includes(CHAINSAW_API) && /^kind:\s*Test\s*$/m.test(text));
}

/** `relative` from `folder`, `.` and `..` steps resolved; the scheme and root of `folder` are kept as they are. */
function joined(folder: string, relative: string): string {
  const steps = folder.split('/');
  for (const step of relative.split('/')) {
    if (step === '' || step === '.') continue;
    if (step === '..') {
      if (steps.length > 1) steps.pop();
    } else steps.push(step);
  }
  return steps.join('/');
}

/** The files a chainsaw Test names under its assert and error operations (a glob names no file here). */
function chainsawExpectations(file: string, text: string): string[] {
  const out: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        const named = (v as { file?: unknown } | null)?.file;
        if ((key === 'assert' || key === 'error') && typeof named === 'string' && !/[*?[]/.test(named)) out.push(joined(folderOf(file), named));
        else visit(v);
      }
    }
  };
  for (const doc of parseAllDocuments(text)) {
    try {
      const value = doc.toJS({ maxAliasCount: 50 }) as { apiVersion?: unknown; kind?: unknown } | null;
      if (value?.kind === 'Test' && typeof value.apiVersion === 'string' && value.apiVersion.startsWith(CHAINSAW_API)) visit(value);
    } catch {
      // An alias bomb or a broken document names nothing.
    }
  }
  return out;
}

/**
 * The expectation files among `files`: those a chainsaw Test names under
 * assert or error, and step files named `NN-assert…`/`NN-errors…` in a
 * chainsaw Test's folder or below a kuttl-test.yaml.
 */
export function testExpectationFiles(suites: ReadonlyMap<string, string>, files: Iterable<string>): Set<string> {
  const named = new Set<string>();
  const chainsawFolders = new Set<string>();
  const kuttlRoots: string[] = [];
  for (const [file, text] of suites) {
    if (nameOf(file) === 'kuttl-test.yaml') kuttlRoots.push(`${folderOf(file)}/`);
    else {
      chainsawFolders.add(folderOf(file));
      chainsawExpectations(file, text).forEach((f) => named.add(f));
    }
  }
  const out = new Set<string>();
  for (const file of files) {
    if (named.has(file)) out.add(file);
    else if (STEP_EXPECTATION.test(nameOf(file)) && (chainsawFolders.has(folderOf(file)) || kuttlRoots.some((root) => file.startsWith(root)))) out.add(file);
  }
  return out;
}
