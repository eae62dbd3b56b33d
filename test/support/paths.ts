import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root (tests run from out/test/...). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
export const CLI = path.join(REPO_ROOT, 'bin', 'netlens.js');

/**
 * ../shared/corpus (real public manifests, never copied into the project):
 * NETLENS_CORPUS when set, else beside the checkout (where CI puts it).
 * Undefined when neither exists; tests that need it then skip with
 * CORPUS_MISSING as the reason.
 */
const corpusCandidates = process.env['NETLENS_CORPUS'] ? [path.resolve(process.env['NETLENS_CORPUS'])] : [path.resolve(REPO_ROOT, '..', 'shared', 'corpus')];
export const CORPUS: string | undefined = corpusCandidates.find((p) => fs.existsSync(p));
export const CORPUS_MISSING: string | undefined =
  CORPUS === undefined ? `the corpus is not at ${corpusCandidates[0]} (put ../shared/corpus beside the checkout or set NETLENS_CORPUS)` : undefined;
