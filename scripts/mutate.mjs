// Plants one-line bugs in the reachability core, one at a time, in a scratch copy of the checkout (never in the
// source tree), builds the copy, runs the tests that should notice, and prints which mutants were killed and the
// kill ratio. `npm run mutate` runs them all; `npm run mutate -- <id>...` runs only those.
//
// A mutant survives when every listed test passes with the bug in place: that is a hole in the suite, and it
// needs a test that kills it (or, if the change is harmless, a reason in the list below and removal).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const REACHABILITY_TESTS = ['reachability-independent', 'reachability-reference'];
const GRAPH_TESTS = ['graph-port-labels', 'lsp-graph'];

/** id, file, the exact text to replace (it must occur once), its replacement, the tests expected to kill it. */
const MUTANTS = [
  // The five bugs issue 22 planted.
  { id: 'endport-equal-rejected', file: 'server/src/engine/buildPolicy.ts', from: 'if (endPort < port.port) {', to: 'if (endPort <= port.port) {', tests: REACHABILITY_TESTS },
  { id: 'policytypes-empty-no-default', file: 'server/src/engine/buildPolicy.ts', from: 'if (declaredTypes.length === 0) {', to: 'if (typesEntry === undefined) {', tests: REACHABILITY_TESTS },
  { id: 'host-network-selectable', file: 'server/src/engine/reachability.ts', from: 'if (!sample.hostNetwork && (selector === undefined || selectorMatches(selector, sample.labels))) set.add(c);', to: 'if (selector === undefined || selectorMatches(selector, sample.labels)) set.add(c);', tests: REACHABILITY_TESTS },
  { id: 'notin-requires-key', file: 'server/src/engine/labels.ts', from: 'if (value !== undefined && r.values.includes(value)) return false;', to: 'if (value === undefined || r.values.includes(value)) return false;', tests: REACHABILITY_TESTS },
  { id: 'any-port-edge-off-by-one', file: 'server/src/engine/portRanges.ts', from: "if (m.kind === 'all') flat.push(offset(m.protocol) + 1, offset(m.protocol) + 65535);", to: "if (m.kind === 'all') flat.push(offset(m.protocol) + 1, offset(m.protocol) + 65536);", tests: GRAPH_TESTS },
  // More of the same kind.
  { id: 'policytypes-egress-never-defaulted', file: 'server/src/engine/buildPolicy.ts', from: 'affectsEgress = egressItems.length > 0;', to: 'affectsEgress = false;', tests: REACHABILITY_TESTS },
  { id: 'doesnotexist-always-holds', file: 'server/src/engine/labels.ts', from: "case 'DoesNotExist':\n        if (value !== undefined) return false;", to: "case 'DoesNotExist':\n        if (value === '') return false;", tests: REACHABILITY_TESTS },
  { id: 'endport-exclusive', file: 'server/src/engine/reachability.ts', from: "m.kind === 'range' && m.from <= port && port <= m.to", to: "m.kind === 'range' && m.from <= port && port < m.to", tests: REACHABILITY_TESTS },
  { id: 'named-port-any-protocol', file: 'server/src/engine/ports.ts', from: 'return ports.find((p) => p.name === name && p.protocol === protocol);', to: 'return ports.find((p) => p.name === name && (p.protocol === protocol || protocol.length > 0));', tests: REACHABILITY_TESTS },
  { id: 'except-keeps-its-first-address', file: 'server/src/engine/cidr.ts', from: 'if (c0 > s) out.push([s, c0 - 1n]);', to: 'if (c0 > s) out.push([s, c0]);', tests: REACHABILITY_TESTS },
  {
    id: 'empty-namespace-selector-as-absent',
    file: 'server/src/engine/reachability.ts',
    from: 'peer.namespaceSelector === undefined\n        ? [policy.namespace]',
    to: 'peer.namespaceSelector === undefined || peer.namespaceSelector.requirements.length === 0\n        ? [policy.namespace]',
    tests: REACHABILITY_TESTS,
  },
  { id: 'no-metadata-name-label', file: 'server/src/engine/buildWorkloads.ts', from: "if (!labels.has('kubernetes.io/metadata.name')) labels.set('kubernetes.io/metadata.name', header.name);", to: '', tests: REACHABILITY_TESTS },
  { id: 'policy-port-protocol-default-udp', file: 'server/src/engine/ports.ts', from: "if (node === undefined) return 'TCP';", to: "if (node === undefined) return 'UDP';", tests: REACHABILITY_TESTS },
  { id: 'host-network-policy-selected', file: 'server/src/engine/matching.ts', from: 'if (group.hostNetwork || !selectorMatches(policy.podSelector, group.labels)) return false;', to: 'if (!selectorMatches(policy.podSelector, group.labels)) return false;', tests: REACHABILITY_TESTS },
  { id: 'peer-selector-ignores-namespace', file: 'server/src/engine/reachability.ts', from: ': this.namespacesMatching(peer.namespaceSelector);', to: ': [...this.workspace.namespaces.keys()];', tests: REACHABILITY_TESTS },
  { id: 'egress-isolation-ignored', file: 'server/src/engine/reachability.ts', from: 'sources.andWith(admittedByEgress[d]!);', to: 'void admittedByEgress[d];', tests: REACHABILITY_TESTS },
  { id: 'in-ignores-values', file: 'server/src/engine/labels.ts', from: 'if (value === undefined || !r.values.includes(value)) return false;', to: 'if (value === undefined) return false;', tests: REACHABILITY_TESTS },
  { id: 'exists-always-holds', file: 'server/src/engine/labels.ts', from: "case 'Exists':\n        if (value === undefined) return false;", to: "case 'Exists':\n        if (value === '') return false;", tests: REACHABILITY_TESTS },
  { id: 'portless-egress-checked-on-destination', file: 'server/src/engine/reachability.ts', from: 'if (this.isolatedEgress.has(s)) {', to: 'if (this.isolatedEgress.has(d)) {', tests: REACHABILITY_TESTS },
  { id: 'egress-policy-isolates-ingress', file: 'server/src/engine/reachability.ts', from: 'ingressIsolated ||= policy.affectsIngress;', to: 'ingressIsolated ||= policy.affectsIngress || policy.affectsEgress;', tests: REACHABILITY_TESTS },
  { id: 'egress-named-port-resolved-on-source', file: 'server/src/engine/reachability.ts', from: 'allowed.has(d) && this.rulePortAllows(rule, port, protocol, d)) allowed.add(d);', to: 'allowed.has(d) && this.rulePortAllows(rule, port, protocol, s)) allowed.add(d);', tests: REACHABILITY_TESTS },
  { id: 'range-intersection-drops-single-port', file: 'server/src/engine/portRanges.ts', from: 'if (from <= to) out.push(from, to);', to: 'if (from < to) out.push(from, to);', tests: [...REACHABILITY_TESTS, ...GRAPH_TESTS] },
];

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const only = process.argv.slice(2);
const chosen = MUTANTS.filter((m) => only.length === 0 || only.includes(m.id));
if (chosen.length === 0) {
  console.error(`no mutant named ${only.join(', ')}; known: ${MUTANTS.map((m) => m.id).join(', ')}`);
  process.exit(2);
}

function run(cwd, command, args, env = {}) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 10 * 60 * 1000 });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

// A mutant whose text the code no longer holds is found before the slow part, not halfway through a run.
const stale = chosen.filter((m) => readFileSync(join(root, m.file), 'utf8').split(m.from).length !== 2);
if (stale.length > 0) {
  console.error(`these mutants' text does not occur exactly once in their file; update them: ${stale.map((m) => `${m.id} (${m.file})`).join(', ')}`);
  process.exit(2);
}

// The scratch copy: the tracked files as they are in the working tree, plus a link to node_modules.
const scratch = mkdtempSync(join(tmpdir(), 'netlens-mutate-'));
const cleanUp = () => rmSync(scratch, { recursive: true, force: true });
process.on('SIGINT', () => {
  cleanUp();
  process.exit(130);
});
try {
  const tracked = run(root, 'git', ['ls-files', '-z']).output.split('\0').filter((f) => f !== '' && f !== 'node_modules');
  for (const file of tracked) {
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    cpSync(join(root, file), join(scratch, file));
  }
  symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'));
  const build = () => run(scratch, process.execPath, [join(scratch, 'node_modules/typescript/bin/tsc'), '-b']).ok && run(scratch, process.execPath, ['scripts/bundle.mjs']).ok;
  const testsPass = (tests) => {
    const result = run(scratch, process.execPath, ['scripts/run-tests.mjs', ...tests]);
    return { pass: result.ok };
  };

  // Unmutated, every test must pass, or a "kill" would mean nothing.
  if (!build()) throw new Error('the unmutated scratch copy does not build');
  const allTests = [...new Set(chosen.flatMap((m) => m.tests))];
  if (!testsPass(allTests).pass) throw new Error(`the unmutated scratch copy fails ${allTests.join(', ')}`);

  const results = [];
  for (const mutant of chosen) {
    const path = join(scratch, mutant.file);
    const original = readFileSync(path, 'utf8');
    const occurrences = original.split(mutant.from).length - 1;
    if (occurrences !== 1) throw new Error(`${mutant.id}: "${mutant.from}" occurs ${occurrences} times in ${mutant.file}; update the mutant`);
    writeFileSync(path, original.replace(mutant.from, mutant.to));
    try {
      // A mutant the compiler rejects is not a bug the tests could miss; it counts as killed by the build.
      const status = !build() ? 'killed (build)' : testsPass(mutant.tests).pass ? 'SURVIVED' : 'killed';
      results.push({ id: mutant.id, status });
      console.log(`${status.padEnd(15)} ${mutant.id}  (${mutant.file}; ${mutant.tests.join(', ')})`);
    } finally {
      writeFileSync(path, original);
    }
  }
  const killed = results.filter((r) => r.status.startsWith('killed')).length;
  console.log(`\nkilled ${killed} of ${results.length} mutants (${((100 * killed) / results.length).toFixed(0)}%)`);
  const survivors = results.filter((r) => r.status === 'SURVIVED');
  if (survivors.length > 0) console.log(`survivors: ${survivors.map((r) => r.id).join(', ')}`);
  process.exitCode = survivors.length === 0 ? 0 : 1;
} finally {
  cleanUp();
}
