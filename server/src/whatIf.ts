/**
 * The what-if request: the workspace as edited (open documents included)
 * against a git ref of its first folder. The base is read with git and
 * analysed once per commit; the flow diff is the engine's.
 */
import { analyze, flowChangesByPolicy, flowDiff, parseManifestFile, type Analysis } from './engine/index.js';
import { InputError } from './cli/files.js';
import { filesAtRef, resolveRef } from './gitBase.js';
import type { WhatIfParams, WhatIfResult } from './requests.js';

/**
 * The diff compares every pair of workloads per declared port; above this
 * it would compete with diagnostics on every edit, so the CLI does it instead.
 */
const MAX_LIVE_WORKLOADS = 2000;

/** How long a resolved ref is trusted for the same analysis: git runs synchronously, once per lens request otherwise. */
const REF_RECHECK_MS = 2000;

export class WhatIf {
  private cached: { commit: string; root: string; analysis: Analysis } | undefined;
  /** The answer for one analysis of the workspace: the status bar and every file's lenses ask for the same. */
  private last: { current: Analysis; ref: string; root: string; commit: string; checkedAt: number; result: WhatIfResult } | undefined;

  /** `root`: the workspace folder's path, undefined without a folder. */
  answer(current: Analysis, root: string | undefined, params: WhatIfParams): WhatIfResult {
    const ref = params.base ?? 'HEAD';
    const none = (error: string): WhatIfResult => ({ base: ref, opened: 0, closed: 0, changes: [], error });
    if (root === undefined) return none('no workspace folder to compare');
    if (current.workspace.podGroups.length > MAX_LIVE_WORKLOADS) return none(`more than ${MAX_LIVE_WORKLOADS} workloads: run netlens diff instead`);
    // Lens requests come per file and per scroll: for the same analysis, ask git again only after a pause (a commit moves HEAD).
    const last = this.last;
    if (last?.current === current && last.ref === ref && last.root === root && Date.now() - last.checkedAt < REF_RECHECK_MS) return last.result;
    try {
      const commit = resolveRef(ref, root);
      if (this.cached?.commit !== commit || this.cached.root !== root) {
        this.cached = { commit, root, analysis: analyze(filesAtRef(commit, ['.'], root).map((f) => parseManifestFile(f.file, f.text))) };
      }
      if (last?.current === current && last.commit === commit && last.ref === ref && last.root === root) {
        this.last = { ...last, checkedAt: Date.now() };
        return last.result;
      }
      const changes = flowDiff(this.cached.analysis, current);
      const opened = changes.filter((c) => c.change === 'opened').length;
      const policies = flowChangesByPolicy(this.cached.analysis, current, changes);
      const result = { base: ref, opened, closed: changes.length - opened, changes, policies };
      this.last = { current, ref, root, commit, checkedAt: Date.now(), result };
      return result;
    } catch (err) {
      if (err instanceof InputError) return none(err.message);
      throw err;
    }
  }
}
