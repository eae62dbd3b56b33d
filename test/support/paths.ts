import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root (tests run from out/test/...). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
export const CLI = path.join(REPO_ROOT, 'bin', 'netlens.js');

/**
 * ../shared/corpus (real public manifests, never copied into the project):
 * NETLENS_CORPUS, else beside the checkout, else where this workplace keeps it
 * (CI runs from a clone in a temporary directory). Undefined when absent.
 */
export const CORPUS: string | undefined = [process.env['NETLENS_CORPUS'], path.resolve(REPO_ROOT, '..', 'shared', 'corpus'), '/work/shared/corpus'].find(
  (p): p is string => p !== undefined && fs.existsSync(p),
);
