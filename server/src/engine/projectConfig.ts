/**
 * The workspace file `.netlens.yaml`: text in, structure out, nothing read
 * from disk here. Keys other helpers of the file add go beside `suppress`;
 * unknown keys are left alone so an older Netlens reads a newer file.
 *
 *   suppress:
 *     - paths: ["cni/*.conflist", "legacy/**"]   # workspace-relative globs
 *       codes: [cni-plugins-empty]
 */
import { parseDocument } from 'yaml';

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
