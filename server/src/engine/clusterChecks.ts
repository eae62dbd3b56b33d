/**
 * The cluster's network configuration judged as a whole: which CNI runs and
 * whether it enforces NetworkPolicy, the effective pod and Service ranges
 * (config files first, settings otherwise), ranges of different roles that
 * overlap, overlay MTUs without room for encapsulation, and kube-proxy's mode
 * against the number of Services.
 */
import type { Prefix } from './cidr.js';
import { ENCAPSULATION_OVERHEAD, ENFORCING_CNIS, isCniFileName, type CniName, type ClusterFacts, type Located, type NetworkRange, type NetworkRole } from './clusterConfig.js';
import { finding, type Finding, type RelatedInfo } from './rules.js';
import { appendAll } from './findingCap.js';
import type { SourceSpan } from './source.js';
import { byFirstThenSecond, overlappingPairs } from './sweep.js';
import type { WorkspaceModel } from './workspace.js';
import type { PolicyModel } from './model.js';
import { computeLists, type ListReuse } from './keptLists.js';

export interface ClusterOptions {
  /** Settings: used when no config file names the range. */
  readonly podCIDRs: readonly Prefix[];
  readonly serviceCIDRs: readonly Prefix[];
  /** netlens.cni: "auto" detects from config files. */
  readonly cni?: string;
  readonly underlayMTU?: number;
  /** Where underlayMTU came from, as the reader would change it: "netlens.underlayMTU", "--underlay-mtu". */
  readonly underlayMTUOrigin?: string;
}

export interface ClusterSummary {
  /** Undefined when neither a config file nor the setting tells. */
  readonly cni: CniName | undefined;
  /** Where the CNI was read, or "the netlens.cni setting". */
  readonly cniOrigin: string | undefined;
  readonly cniSpan: SourceSpan | undefined;
  /** Undefined when the CNI is unknown. */
  readonly enforcesPolicy: boolean | undefined;
  readonly podCIDRs: readonly Prefix[];
  readonly serviceCIDRs: readonly Prefix[];
  /** The config ranges behind podCIDRs/serviceCIDRs; empty when they come from settings. */
  readonly podRanges: readonly NetworkRange[];
  readonly serviceRanges: readonly NetworkRange[];
  /**
   * The pod and Service ranges of the cluster a file belongs to (see
   * rangeClusters): with several clusters in the workspace, a policy is judged
   * against its own cluster's ranges, not all of them.
   */
  forFile(file: string): { readonly podCIDRs: readonly Prefix[]; readonly serviceCIDRs: readonly Prefix[] };
  /** Which cluster each range belongs to, in words, for memo keys: the same text means the same answers from forFile. */
  readonly clustersKey: string;
}

/** Above this many Services, iptables mode's linear rule chains start to show. */
export const IPTABLES_SERVICE_THRESHOLD = 1000;

const KNOWN_CNIS: readonly string[] = ['calico', 'cilium', 'flannel', 'weave', 'canal', 'kindnet', 'antrea', 'kube-router', 'bridge', 'ptp', 'other'];

/**
 * The CNI one set of configuration names. CNI configuration files decide the
 * way the container runtime does: it uses the lexically first file of its
 * configuration folder and ignores the rest.
 */
function detectCni(cnis: ReadonlyArray<Located<CniName>>): Located<CniName> | undefined {
  const names = new Set(cnis.map((c) => c.value));
  const canal = cnis.find((c) => c.value === 'canal');
  if (canal) return canal;
  const fromFiles = cnis.filter((c) => isCniFileName(c.span.file));
  // flannel for the network with Calico for policy is canal, even when they are configured in different files
  // (two CNI files of one folder are not: the runtime uses only the first).
  if (names.has('flannel') && names.has('calico') && !(['flannel', 'calico'] as const).every((n) => fromFiles.some((c) => c.value === n))) {
    const c = cnis.find((x) => x.value === 'calico')!;
    return { value: 'canal', span: c.span, origin: `${c.origin} with flannel` };
  }
  if (fromFiles.length > 0) {
    const first = fromFiles.reduce((a, b) => (baseName(b.span.file) < baseName(a.span.file) ? b : a));
    const others = new Set(fromFiles.map((c) => c.span.file)).size - 1;
    const why = others === 0 ? '' : `, the lexically first of ${others + 1} CNI configuration files, which is the one the runtime uses`;
    return { ...first, origin: `${first.origin} in ${baseName(first.span.file)}${why}` };
  }
  return cnis.find((c) => ENFORCING_CNIS.has(c.value)) ?? cnis[0];
}

/** A cluster's CNI and what decided it; the setting has no place in a file. */
type DecidedCni = Pick<Located<CniName>, 'value' | 'origin'> & { readonly span: SourceSpan | undefined };

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

function folderOf(file: string): string {
  return file.slice(0, Math.max(0, file.lastIndexOf('/')));
}

/**
 * One cluster at a time: each folder holding CNI configuration is one
 * cluster's, and decides for the files nearest to it in the folder tree
 * (`a/cni/10-calico.conflist` decides for `a/apps/policy.yaml`). A file as
 * near to clusters of different CNIs, or nearer to none of them than they
 * are to each other, takes the workspace's CNI when all clusters agree, and
 * none otherwise.
 */
export function cniForFile(cnis: ReadonlyArray<Located<CniName>>): (file: string) => Located<CniName> | undefined {
  const byFolder = new Map<string, Array<Located<CniName>>>();
  for (const c of cnis) {
    const folder = folderOf(c.span.file);
    const list = byFolder.get(folder);
    if (list === undefined) byFolder.set(folder, [c]);
    else list.push(c);
  }
  const decided = [...byFolder].map(([folder, facts]) => ({ steps: folder === '' ? [] : folder.split('/'), cni: detectCni(facts)! }));
  const agreed = new Set(decided.map((d) => d.cni.value)).size <= 1 ? detectCni(cnis) : undefined;
  if (decided.length <= 1 || agreed !== undefined) return () => agreed;
  // How deep the clusters' folders agree: a file must share more than that with one cluster to belong to it.
  const shared = decided.slice(1).reduce((n, d) => Math.min(n, commonSteps(decided[0]!.steps, d.steps)), decided[0]!.steps.length);
  return (file) => {
    const steps = folderOf(file).split('/');
    let bestDepth = shared;
    let best: Array<Located<CniName>> = [];
    for (const d of decided) {
      const depth = commonSteps(steps, d.steps);
      if (depth > bestDepth) [bestDepth, best] = [depth, [d.cni]];
      else if (depth === bestDepth && depth > shared) best.push(d.cni);
    }
    return best.length > 0 && best.every((c) => c.value === best[0]!.value) ? best[0] : undefined;
  };
}

function commonSteps(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

function uniquePrefixes(ranges: readonly NetworkRange[]): Prefix[] {
  const seen = new Map<string, Prefix>();
  for (const r of ranges) seen.set(r.prefix.toString(), r.prefix);
  return [...seen.values()];
}

/** Folder names that say what configuration a folder holds, not which cluster it is for. */
const CONFIGURATION_FOLDER = /^(cni|net\.d|cni-conf|kubeadm|kind|kube-proxy|calico|flannel|multus|cilium|canal|weave|ipam|ippools?|network|networking|net)$/i;

/**
 * One cluster at a time, for address ranges: the folders holding range
 * configuration (CNI files, kubeadm, IPPools, ...) fall into clusters by the
 * subtree they sit in just below the deepest folder all of them share, so
 * `clusters/a/cni/…` and `clusters/b/kubeadm/…` are two clusters while
 * `cluster/kubeadm.yaml` and `cluster/cni/…` are one, and so are `cni/…` and
 * `kubeadm/…` side by side: subtrees named for a kind of configuration are
 * parts of one cluster. A file
 * belongs to the cluster whose subtree holds it; undefined when there is one
 * cluster, or the file sits in none.
 */
export function rangeClusters(ranges: readonly NetworkRange[]): { readonly clusterOf: (file: string) => string | undefined; readonly count: number } {
  const folders = [...new Set(ranges.map((r) => folderOf(r.span.file)))].map((f) => (f === '' ? [] : f.split('/')));
  if (folders.length <= 1) return { clusterOf: () => undefined, count: folders.length };
  const shared = folders.slice(1).reduce((n, f) => Math.min(n, commonSteps(folders[0]!, f)), folders[0]!.length);
  // Configuration in the shared folder itself speaks for everything below it: one cluster.
  if (folders.some((f) => f.length === shared)) return { clusterOf: () => undefined, count: 1 };
  const keys = new Set(folders.map((f) => f.slice(0, shared + 1).join('/')));
  if (keys.size <= 1) return { clusterOf: () => undefined, count: 1 };
  // Subtrees named for a kind of configuration are parts of one cluster, not clusters: `cni/` beside `kubeadm/` at the top of a repository.
  if ([...keys].every((key) => CONFIGURATION_FOLDER.test(key.slice(key.lastIndexOf('/') + 1)))) return { clusterOf: () => undefined, count: 1 };
  return {
    count: keys.size,
    clusterOf: (file) => {
      const steps = folderOf(file).split('/');
      if (steps.length <= shared) return undefined;
      const key = steps.slice(0, shared + 1).join('/');
      return keys.has(key) ? key : undefined;
    },
  };
}

export function clusterSummary(facts: ClusterFacts, options: ClusterOptions): ClusterSummary {
  const podRanges = facts.ranges.filter((r) => r.role === 'pod');
  const serviceRanges = facts.ranges.filter((r) => r.role === 'service');
  const clusters = rangeClusters(facts.ranges);
  const perCluster = new Map<string | undefined, { podCIDRs: readonly Prefix[]; serviceCIDRs: readonly Prefix[] }>();
  const rangesOf = (key: string | undefined) => {
    let r = perCluster.get(key);
    if (r === undefined) {
      // A file of no cluster, among several, has no ranges of its own: the settings'.
      const pods = key === undefined ? [] : podRanges.filter((x) => clusters.clusterOf(x.span.file) === key);
      const services = key === undefined ? [] : serviceRanges.filter((x) => clusters.clusterOf(x.span.file) === key);
      perCluster.set(key, (r = { podCIDRs: pods.length > 0 ? uniquePrefixes(pods) : options.podCIDRs, serviceCIDRs: services.length > 0 ? uniquePrefixes(services) : options.serviceCIDRs }));
    }
    return r;
  };
  const setting = options.cni !== undefined && options.cni !== 'auto' && KNOWN_CNIS.includes(options.cni) ? (options.cni as CniName) : undefined;
  const detected = setting === undefined ? detectCni(facts.cnis) : undefined;
  const cni = setting ?? detected?.value;
  const summaryPods = podRanges.length > 0 ? uniquePrefixes(podRanges) : options.podCIDRs;
  const summaryServices = serviceRanges.length > 0 ? uniquePrefixes(serviceRanges) : options.serviceCIDRs;
  return {
    cni,
    cniOrigin: setting !== undefined ? 'the netlens.cni setting' : detected?.origin,
    cniSpan: detected?.span,
    // "other" is a CNI we know nothing about: assume it enforces rather than cry wolf.
    enforcesPolicy: cni === undefined ? undefined : cni === 'other' || ENFORCING_CNIS.has(cni),
    podCIDRs: summaryPods,
    serviceCIDRs: summaryServices,
    podRanges,
    serviceRanges,
    forFile: (file) => (clusters.count <= 1 ? { podCIDRs: summaryPods, serviceCIDRs: summaryServices } : rangesOf(clusters.clusterOf(file))),
    clustersKey: clusters.count <= 1 ? '' : JSON.stringify(facts.ranges.map((r) => [String(r.prefix), r.role, clusters.clusterOf(r.span.file) ?? null])),
  };
}

const ROLE_NAMES: Record<NetworkRole, string> = { pod: 'pod network', service: 'Service network', node: 'node address', attachment: 'secondary network' };

interface OverlapPartner {
  readonly role: NetworkRole;
  readonly prefix: Prefix;
  readonly origin: string;
  readonly span?: SourceSpan;
}

/** A range and every range of another role it overlaps: one finding, with every partner as a related location. */
interface Overlap {
  readonly range: NetworkRange;
  readonly partners: OverlapPartner[];
}

/**
 * Which of two overlapping ranges the finding sits on: the narrower one (the
 * /24 carved out of a /16 is the one to move), and on a tie the later one in
 * file order, so each pair is said once and always at the same place.
 */
function overlapSite(a: NetworkRange, b: NetworkRange): [site: NetworkRange, partner: NetworkRange] {
  if (a.prefix.bits !== b.prefix.bits) return a.prefix.bits > b.prefix.bits ? [a, b] : [b, a];
  const aFirst = a.span.file < b.span.file || (a.span.file === b.span.file && a.span.start <= b.span.start);
  return aFirst ? [b, a] : [a, b];
}

function describePartners(partners: readonly OverlapPartner[]): string {
  const roles = [...new Set(partners.map((p) => p.role))];
  return roles
    .map((role) => {
      const ofRole = partners.filter((p) => p.role === role);
      return `the ${ROLE_NAMES[role]} ${[...new Set(ofRole.map((p) => p.prefix.toString()))].join(', ')} (${[...new Set(ofRole.map((p) => p.origin))].join('; ')})`;
    })
    .join(' and ');
}

function overlapFindings(facts: ClusterFacts, options: ClusterOptions): Finding[] {
  const overlaps = new Map<string, Overlap>();
  const add = (range: NetworkRange, partner: OverlapPartner) => {
    const key = `${range.span.file}\u0000${range.span.start}`;
    let o = overlaps.get(key);
    if (o === undefined) overlaps.set(key, (o = { range, partners: [] }));
    o.partners.push(partner);
  };
  const ranges = facts.ranges;
  // Ranges of two clusters never collide: only pairs of one cluster count.
  const { clusterOf } = rangeClusters(ranges);
  const clusterKeys = ranges.map((r) => clusterOf(r.span.file) ?? '');
  const sweepKeys = new Map<string, number>();
  const sweepKey = (text: string) => sweepKeys.get(text) ?? sweepKeys.set(text, sweepKeys.size).get(text)!;
  const intervals = ranges.map((r, i) => ({ first: r.prefix.first, last: r.prefix.last, key: sweepKey(`${r.prefix.family} ${clusterKeys[i]}`), group: r.role }));
  for (const [i, j] of overlappingPairs(intervals, true).sort(byFirstThenSecond)) {
    const [site, partner] = overlapSite(ranges[i]!, ranges[j]!);
    add(site, partner);
  }
  // A role a cluster's files do not name still has its range: the setting's. Its config ranges must not overlap that either.
  const named = new Set(ranges.map((r, i) => `${r.role} ${clusterKeys[i]}`));
  const fromSettings: Array<[NetworkRole, readonly Prefix[], string]> = [
    ['pod', options.podCIDRs, 'the netlens.podCIDR setting'],
    ['service', options.serviceCIDRs, 'the netlens.serviceCIDR setting'],
  ];
  for (const [role, prefixes, origin] of fromSettings) {
    ranges.forEach((r, i) => {
      if (r.role === role || named.has(`${role} ${clusterKeys[i]}`)) return;
      const hit = prefixes.find((p) => p.family === r.prefix.family && p.overlaps(r.prefix));
      if (hit) add(r, { role, prefix: hit, origin });
    });
  }
  return [...overlaps.values()].map(({ range, partners }) =>
    finding(
      'cluster-cidrs-overlap',
      range.span,
      `This ${ROLE_NAMES[range.role]} (${range.prefix.toString()}, ${range.origin}) overlaps ${describePartners(partners)}: move one of them to addresses the other does not use.`,
      partners.flatMap((p) => (p.span ? [{ span: p.span, message: `the ${ROLE_NAMES[p.role]} ${p.prefix.toString()} (${p.origin})` }] : [])),
    ),
  );
}

function mtuFindings(facts: ClusterFacts, underlayMTU: number, origin: string): Finding[] {
  if (facts.overlays.length === 0) return [];
  const worst = facts.overlays.reduce((a, b) => (ENCAPSULATION_OVERHEAD[b.value] > ENCAPSULATION_OVERHEAD[a.value] ? b : a));
  const overhead = ENCAPSULATION_OVERHEAD[worst.value];
  return facts.mtus
    .filter((m) => m.value + overhead > underlayMTU)
    .map((m) =>
      finding(
        'overlay-mtu-too-large',
        m.span,
        `MTU ${m.value} plus ${worst.value.toUpperCase()} encapsulation (${overhead} bytes) exceeds the underlay MTU ${underlayMTU} (${origin}): use ${underlayMTU - overhead} or less.`,
        [{ span: worst.span, message: `${worst.origin}` }],
      ),
    );
}

/**
 * Whether a CNI implements a generation of policy.networking.k8s.io: yes; no;
 * only with an add-on deployed beside it (the finding says which); unknown
 * (no finding, rather than a guess). The README's table "Which CNIs implement
 * the cluster-wide policies" states each entry with its source.
 */
export type ClusterPolicySupport = 'yes' | 'no' | { readonly addOn: string } | 'unknown';

export type ClusterPolicyGeneration = 'v1alpha1' | 'v1alpha2';

export const CLUSTER_POLICY_SUPPORT: Readonly<Record<Exclude<CniName, 'other'>, Readonly<Record<ClusterPolicyGeneration, ClusterPolicySupport>>>> = {
  // Calico's tiers "adminnetworkpolicy" (v1alpha1), "kube-admin"/"kube-baseline" (ClusterNetworkPolicy); canal runs Calico's policy engine.
  calico: { v1alpha1: 'yes', v1alpha2: 'yes' },
  canal: { v1alpha1: 'yes', v1alpha2: 'yes' },
  // Antrea documents AdminNetworkPolicy and BaselineAdminNetworkPolicy from v1.13; ClusterNetworkPolicy is not documented.
  antrea: { v1alpha1: 'yes', v1alpha2: 'unknown' },
  // kindnet enforces NetworkPolicy with kube-network-policies, whose AdminNetworkPolicy controller is a separate install.
  kindnet: { v1alpha1: { addOn: "kube-network-policies' AdminNetworkPolicy controller (install-anp.yaml)" }, v1alpha2: 'unknown' },
  cilium: { v1alpha1: 'no', v1alpha2: 'no' },
  flannel: { v1alpha1: 'no', v1alpha2: 'no' },
  weave: { v1alpha1: 'no', v1alpha2: 'no' },
  'kube-router': { v1alpha1: 'no', v1alpha2: 'no' },
  bridge: { v1alpha1: 'no', v1alpha2: 'no' },
  ptp: { v1alpha1: 'no', v1alpha2: 'no' },
};

function clusterPolicySupport(p: PolicyModel, cni: CniName): ClusterPolicySupport {
  if (cni === 'other') return 'unknown';
  return CLUSTER_POLICY_SUPPORT[cni][p.kind === 'ClusterNetworkPolicy' ? 'v1alpha2' : 'v1alpha1'];
}

/** A finding about policies the cluster's CNI does not enforce. */
interface OnePerCluster {
  readonly code: 'cilium-policy-without-cilium' | 'calico-policy-without-calico' | 'cluster-policy-not-implemented';
  readonly voids: (p: PolicyModel, cni: CniName) => boolean;
  /** The related-location message for each further policy. */
  readonly also: (p: PolicyModel) => string;
  readonly says: (first: PolicyModel, also: string, cni: DecidedCni) => string;
}

/**
 * Said once per cluster, on the first such policy with the others as related
 * locations: one wrong CNI is one problem, however many policies it voids.
 * One object counts once: a Cilium policy with several specs is one manifest.
 */
function oncePerCluster(policies: readonly PolicyModel[], clusterCni: (file: string) => DecidedCni | undefined, relatedOf: (c: DecidedCni) => RelatedInfo[], kind: OnePerCluster): Finding[] {
  const voided = new Map<DecidedCni, Map<string, PolicyModel>>();
  for (const p of policies) {
    const cni = clusterCni(p.nameSpan.file);
    if (cni === undefined || cni.value === 'other' || !kind.voids(p, cni.value)) continue;
    const object = `${p.kind ?? ''}/${p.id.replace(/ specs\[\d+\]$/, '')}`;
    let byObject = voided.get(cni);
    if (byObject === undefined) voided.set(cni, (byObject = new Map()));
    if (!byObject.has(object)) byObject.set(object, p);
  }
  const out: Finding[] = [];
  for (const [cni, byObject] of voided) {
    const [first, ...others] = [...byObject.values()];
    if (first === undefined) continue;
    const also = others.length === 0 ? '' : ` (and ${others.length} more ${others.length === 1 ? 'policy' : 'policies'} like it)`;
    const more = others.slice(0, 20).map((p) => ({ span: p.nameSpan, message: kind.also(p) }));
    out.push(finding(kind.code, first.nameSpan, kind.says(first, also, cni), [...relatedOf(cni), ...more]));
  }
  return out;
}

/**
 * The overlap findings of ranges already checked, given the ranges (the same
 * objects, in order) and the key of the settings' ranges in play; an editor's
 * memo answers from its last analysis, so a keystroke elsewhere does not sweep
 * a big .conflist's ranges again.
 */
export type OverlapReuse = (ranges: readonly NetworkRange[], settingsKey: string, compute: () => Finding[]) => readonly Finding[];

const ignoresNetworkPolicy = (cni: CniName): boolean => cni !== 'other' && !ENFORCING_CNIS.has(cni);

export function clusterFindings(ws: WorkspaceModel, summary: ClusterSummary, options: ClusterOptions, reuseOverlaps?: OverlapReuse, lists: ListReuse<PolicyModel> = computeLists()): Finding[] {
  const facts = ws.cluster;
  const settingsKey = JSON.stringify([options.podCIDRs.map(String), options.serviceCIDRs.map(String)]);
  const overlaps = reuseOverlaps === undefined ? overlapFindings(facts, options) : reuseOverlaps(facts.ranges, settingsKey, () => overlapFindings(facts, options));
  const out = [...overlaps, ...mtuFindings(facts, options.underlayMTU ?? 1500, options.underlayMTUOrigin ?? 'netlens.underlayMTU')];
  // The netlens.cni setting speaks for every cluster; otherwise each policy's cluster decides.
  const fromSetting = summary.cniOrigin === 'the netlens.cni setting';
  const cniOfFile = cniForFile(facts.cnis);
  const setting: DecidedCni | undefined = fromSetting && summary.cni !== undefined ? { value: summary.cni, origin: 'the netlens.cni setting', span: undefined } : undefined;
  const clusterCni = (file: string): DecidedCni | undefined => (fromSetting ? setting : cniOfFile(file));
  const relatedOf = (c: DecidedCni) => (c.span ? [{ span: c.span, message: `the CNI: ${c.origin}` }] : []);
  // Only a CNI's own kinds and the tiered kinds can be voided once per cluster (carried from the last policy list by a memo); the rest are NetworkPolicies.
  const ownKinds = lists.select('cni-own-kinds', ws.policies, (p) => p.enforcedBy !== undefined || p.tier !== undefined);
  // A file's CNI is one the facts name, or canal (which enforces): only where some CNI that ignores NetworkPolicy is named can a policy be ignored.
  const mayIgnore = fromSetting ? setting !== undefined && ignoresNetworkPolicy(setting.value) : facts.cnis.some((c) => ignoresNetworkPolicy(c.value));
  const ignored: Finding[] = [];
  for (const p of mayIgnore ? ws.policies : []) {
    if (p.enforcedBy !== undefined || p.tier !== undefined) continue;
    const cni = clusterCni(p.nameSpan.file);
    if (cni === undefined || !ignoresNetworkPolicy(cni.value)) continue;
    ignored.push(finding('cni-ignores-network-policy', p.nameSpan, `The cluster's CNI (${cni.value}, from ${cni.origin}) does not implement NetworkPolicy: this policy will silently do nothing.`, relatedOf(cni)));
  }
  const onePerCluster = (kind: OnePerCluster) => appendAll(out, oncePerCluster(ownKinds, clusterCni, relatedOf, kind));
  // Per CNI whose own kinds are voided there: each has its own code.
  for (const [by, enforcer] of Object.entries(ENFORCED_BY)) {
    onePerCluster({
      code: enforcer.code,
      voids: (p, cni) => p.enforcedBy === by && !enforcer.cnis.includes(cni),
      also: (p) => `also enforced only by ${p.enforcedBy}: ${p.id}`,
      says: (first, also, cni) => `This ${first.kind ?? 'policy'}${also} is enforced only by ${first.enforcedBy}, but the cluster's CNI is ${cni.value} (from ${cni.origin}): it does nothing there.`,
    });
  }
  onePerCluster({
    code: 'cluster-policy-not-implemented',
    voids: (p, cni) => {
      const support = p.tier === undefined ? 'yes' : clusterPolicySupport(p, cni);
      return support !== 'yes' && support !== 'unknown';
    },
    also: (p) => `also needs policy.networking.k8s.io: ${p.kind} ${p.id}`,
    says: (first, also, cni) => {
      const support = clusterPolicySupport(first, cni.value);
      const unless = typeof support === 'object' ? ` unless ${support.addOn} is deployed beside it` : '';
      return `This ${first.kind}${also} needs a network plugin that implements policy.networking.k8s.io, but the cluster's CNI is ${cni.value} (from ${cni.origin}), which does not${unless}: it does nothing there, and Netlens's verdicts with it do not hold.`;
    },
  });
  // Cluster-wide kinds are cluster-policy-not-implemented's to report, a CNI's own kinds its code's.
  appendAll(out, ignored);
  if (ws.services.length >= IPTABLES_SERVICE_THRESHOLD) {
    for (const m of facts.proxyModes.filter((x) => x.value === 'iptables')) {
      out.push(finding('kube-proxy-iptables-at-scale', m.span, `kube-proxy in iptables mode with ${ws.services.length} Services: every packet walks rule chains that grow with them; ipvs or nftables mode scales better.`));
    }
  }
  return out;
}

/** The CNIs that enforce each CNI's own policy kinds: Calico's also run as canal (flannel for the network, Calico for policy). */
const ENFORCED_BY: Record<NonNullable<PolicyModel['enforcedBy']>, { cnis: readonly string[]; code: 'cilium-policy-without-cilium' | 'calico-policy-without-calico' }> = {
  cilium: { cnis: ['cilium'], code: 'cilium-policy-without-cilium' },
  calico: { cnis: ['calico', 'canal'], code: 'calico-policy-without-calico' },
};
