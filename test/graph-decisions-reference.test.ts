/**
 * The graph's "what decided this flow" against explain's, pod by pod, on random
 * clusters written as real YAML: cluster-wide tiers beside NetworkPolicy
 * (support/randomCluster.ts) and Calico's ordered policies
 * (support/randomCalicoCluster.ts). explainTraffic matches one pod at a time
 * (matching.ts); the graph matches per class with reachability's sets
 * (flowDecision.ts). On every pair and port both must name the same deciding
 * rules and the same ends where the default allow decided, and each graph
 * edge between workloads must be explicit, and cite rules, exactly as
 * explain's sides say over its ports.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { analyzeTexts, buildGraph, explainTraffic, type PodGroup, type Protocol } from '../server/src/engine/index.js';
import { FlowDecider } from '../server/src/engine/flowDecision.js';
import { decidingAllows, type RuleRef, type SideVerdict } from '../server/src/engine/sideDecision.js';
import { forEachFuzzSeed } from './support/fuzzSeeds.js';
import { CALICO_PORT_LIMIT, CALICO_PROTOCOLS, randomCalicoCluster, renderCalicoCluster } from './support/randomCalicoCluster.js';
import { PORT_LIMIT, PROTOCOLS, randomCluster, randomClusterPolicies, renderCluster, renderClusterPolicies } from './support/randomCluster.js';

const ruleNames = (rules: readonly RuleRef[]) => rules.map(({ policy, rule }) => `${policy.kind ?? 'NetworkPolicy'} ${policy.id} ${rule.direction} ${rule.index}`).sort();
const sideText = (side: SideVerdict) => `${side.allowed ? 'allowed' : 'denied'}${side.byDefault ? ' by default' : ''}: ${ruleNames(decidingAllows(side)).join(', ')}`;

/** The ports an edge label stands for, as [protocol, from, to]. */
function labelRanges(label: string): Array<[Protocol, number, number]> {
  if (label === 'any port') return (['TCP', 'UDP', 'SCTP'] as const).map((p) => [p, 1, 65535]);
  const all = /^all (TCP|UDP|SCTP) ports$/.exec(label);
  if (all) return [[all[1] as Protocol, 1, 65535]];
  const one = /^(TCP|UDP|SCTP) (\d+)(?:-(\d+))?/.exec(label);
  assert.ok(one, `an edge label the test reads: ${label}`);
  return [[one[1] as Protocol, Number(one[2]), Number(one[3] ?? one[2])]];
}

function checkDecisions(text: string, ports: readonly number[], protocols: readonly Protocol[]): void {
  const { workspace, reachability } = analyzeTexts([{ file: 'random.yaml', text }]);
  const ordering = { tiers: workspace.tiers, serviceAccounts: workspace.serviceAccounts };
  const decider = new FlowDecider(reachability);
  const explain = (s: PodGroup, d: PodGroup, port: number, protocol: Protocol) =>
    explainTraffic(workspace.policies, { kind: 'pod', group: s }, { kind: 'pod', group: d }, port, protocol, reachability.namespaceLabels, ordering);
  const groups = workspace.podGroups.filter((g) => !g.hostNetwork);
  for (const s of groups) {
    for (const d of groups) {
      if (s === d) continue;
      const [cs, cd] = [reachability.classOf(s), reachability.classOf(d)];
      for (const protocol of protocols) {
        for (const port of ports) {
          const verdict = explain(s, d, port, protocol);
          const where = `${s.id} -> ${d.id} on ${protocol} ${port}`;
          assert.equal(sideText(decider.side(cs, cd, 'egress', port, protocol)), sideText(verdict.egress), `egress of ${where}`);
          assert.equal(sideText(decider.side(cd, cs, 'ingress', port, protocol)), sideText(verdict.ingress), `ingress of ${where}`);
        }
      }
    }
  }
  // Each edge between two workloads: its ports, sampled where the random rules can differ, decide as explain says.
  const graph = buildGraph(reachability);
  const groupOf = new Map(graph.workloads.map((w) => [w.id, w.group]));
  for (const edge of graph.flows) {
    const [s, d] = [groupOf.get(edge.source), groupOf.get(edge.target)];
    if (s === undefined || d === undefined || s.hostNetwork || d.hostNetwork) continue;
    const samples = edge.ports.flatMap(labelRanges).flatMap(([protocol, from, to]) => [...ports, 65535].filter((p) => from <= p && p <= to).map((p) => [p, protocol] as const));
    const verdicts = samples.map(([port, protocol]) => explain(s, d, port, protocol));
    const where = `edge ${edge.id} [${edge.ports.join(', ')}]`;
    assert.ok(verdicts.every((v) => v.allowed), `${where}: explain allows every port the edge names`);
    assert.equal(edge.explicit, verdicts.some((v) => !v.egress.byDefault || !v.ingress.byDefault), `${where}: explicit`);
    const cited = ruleNames(edge.rules);
    const expected = [...new Set(verdicts.flatMap((v) => [...ruleNames(decidingAllows(v.egress)), ...ruleNames(decidingAllows(v.ingress))]))].sort();
    assert.deepEqual(cited, expected, `${where}: the rules that decided`);
  }
}

test('graph decisions equal explain on random clusters with cluster-wide tiers', async () => {
  const ports = Array.from({ length: PORT_LIMIT + 1 }, (_, i) => i + 1);
  await forEachFuzzSeed([], (seed) =>
    fc.assert(
      fc.property(randomCluster, randomClusterPolicies, (cluster, policies) => checkDecisions(`${renderCluster(cluster)}---\n${renderClusterPolicies(policies)}`, ports, PROTOCOLS)),
      { seed, numRuns: 60 },
    ),
  );
});

test('graph decisions equal explain on random clusters with Calico policies', async () => {
  const ports = Array.from({ length: CALICO_PORT_LIMIT + 1 }, (_, i) => i + 1);
  await forEachFuzzSeed([], (seed) => fc.assert(fc.property(randomCalicoCluster, (cluster) => checkDecisions(renderCalicoCluster(cluster), ports, CALICO_PROTOCOLS)), { seed, numRuns: 60 }));
});
