/**
 * Cluster network configuration: every fixture directory under
 * test/fixtures/cluster is one workspace (CNI files, ConfigMaps, Calico,
 * kubeadm, kind, kube-proxy, Nodes, Multus); its expected findings are marked
 * in the files, or in a `<file>.markers` sidecar where the file cannot hold
 * comments. Programmatic cases cover settings and scale.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeTexts, LineIndex, type AnalyzeOptions } from '../server/src/engine/index.js';
import { diffFindings, parseMarkers, parseSidecarMarkers, type ExpectedFinding } from './support/markers.js';
import { FIXTURES } from './support/paths.js';

const root = path.join(FIXTURES, 'cluster');

function workspace(dir: string): Array<{ file: string; text: string }> {
  return fs
    .readdirSync(dir)
    .filter((f) => !f.endsWith('.markers'))
    .sort()
    .map((f) => ({ file: f, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

function check(files: Array<{ file: string; text: string }>, expected: Map<string, ExpectedFinding[]>, options: AnalyzeOptions = {}): string[] {
  const analysis = analyzeTexts(files, options);
  const problems: string[] = [];
  for (const { file, text } of files) {
    const idx = new LineIndex(text);
    const actual = analysis.findings
      .filter((f) => f.span.file === file)
      .map((f) => {
        const s = idx.positionAt(f.span.start);
        const e = idx.positionAt(f.span.end);
        return { code: f.code, line: s.line, startColumn: s.character, endLine: e.line, endColumn: e.character, message: f.message };
      });
    problems.push(...diffFindings(expected.get(file) ?? [], actual).map((p) => `${file}: ${p}`));
    if (problems.length > 0) problems.push(...actual.map((a) => `  (${file} has ${a.code} at ${a.line + 1}:${a.startColumn + 1}: ${a.message})`));
  }
  return problems;
}

for (const name of fs.readdirSync(root).sort()) {
  test(`cluster/${name}: exactly the marked findings`, () => {
    const dir = path.join(root, name);
    const files = workspace(dir);
    const expected = new Map<string, ExpectedFinding[]>();
    for (const { file, text } of files) {
      const sidecar = path.join(dir, `${file}.markers`);
      expected.set(file, fs.existsSync(sidecar) ? parseSidecarMarkers(text, fs.readFileSync(sidecar, 'utf8')) : parseMarkers(text));
    }
    assert.deepEqual(check(files, expected), []);
  });
}

const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: default}
spec: {podSelector: {}, policyTypes: [Ingress]}
`;

test('the CNI: detected from files, else the netlens.cni setting; flannel with Calico is canal', () => {
  const cni = (files: Array<{ file: string; text: string }>, options: AnalyzeOptions = {}) => {
    const a = analyzeTexts([{ file: 'p.yaml', text: policy }, ...files], options);
    return { cni: a.cluster.cni, enforces: a.cluster.enforcesPolicy, warned: a.findings.some((f) => f.code === 'cni-ignores-network-policy') };
  };
  assert.deepEqual(cni([]), { cni: undefined, enforces: undefined, warned: false });
  assert.deepEqual(cni([], { cni: 'flannel' }), { cni: 'flannel', enforces: false, warned: true });
  assert.deepEqual(cni([], { cni: 'cilium' }), { cni: 'cilium', enforces: true, warned: false });
  const flannel = { file: 'flannel.conflist', text: '{"cniVersion": "0.3.1", "name": "cbr0", "plugins": [{"type": "flannel"}, {"type": "portmap"}]}' };
  assert.deepEqual(cni([flannel]), { cni: 'flannel', enforces: false, warned: true });
  // The setting is for workspaces without CNI files... but an explicit choice wins.
  assert.deepEqual(cni([flannel], { cni: 'calico' }), { cni: 'calico', enforces: true, warned: false });
  const calico = { file: 'pool.yaml', text: 'apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata: {name: p}\nspec: {cidr: 10.244.0.0/16}\n' };
  assert.deepEqual(cni([flannel, calico]), { cni: 'canal', enforces: true, warned: false });
  const bridge = { file: '10-bridge.conf', text: '{"cniVersion": "1.0.0", "name": "b", "type": "bridge", "ipam": {"type": "host-local", "subnet": "10.88.0.0/16"}}' };
  assert.deepEqual(cni([bridge]), { cni: 'bridge', enforces: false, warned: true });
  const kind = { file: 'kind.yaml', text: 'apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\n' };
  assert.deepEqual(cni([kind]), { cni: 'kindnet', enforces: true, warned: false });
  const kindNoCni = { file: 'kind.yaml', text: 'apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnetworking: {disableDefaultCNI: true}\n' };
  assert.deepEqual(cni([kindNoCni]), { cni: undefined, enforces: undefined, warned: false });
});

test('config ranges replace the settings, and the policy checks use them', () => {
  const ipBlock = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: by-ip, namespace: default}
spec:
  podSelector: {}
  egress: [{to: [{ipBlock: {cidr: 172.16.5.0/24}}]}]
`;
  const covers = (files: Array<{ file: string; text: string }>) => analyzeTexts([{ file: 'p.yaml', text: ipBlock }, ...files]).findings.map((f) => f.code).filter((c) => c.startsWith('ipblock-covers'));
  assert.deepEqual(covers([]), []);
  const kubeadm = { file: 'kubeadm.yaml', text: 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking: {podSubnet: 172.16.0.0/16, serviceSubnet: 10.112.0.0/12}\n' };
  assert.deepEqual(covers([kubeadm]), ['ipblock-covers-pod-cidr']);
  const a = analyzeTexts([kubeadm]);
  assert.deepEqual(a.cluster.podCIDRs.map(String), ['172.16.0.0/16']);
  assert.deepEqual(a.cluster.serviceCIDRs.map(String), ['10.112.0.0/12']);
  assert.equal(a.workspace.cluster.ranges.find((r) => r.role === 'pod')!.perNodePrefix, 24);
});

test('overlay MTU is judged against netlens.underlayMTU, with the worst encapsulation present', () => {
  const files = [
    { file: 'pool.yaml', text: 'apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata: {name: p}\nspec: {cidr: 10.244.0.0/16, ipipMode: Always}\n' },
    { file: '10-calico.conflist', text: '{"cniVersion": "0.3.1", "name": "k8s-pod-network", "plugins": [{"type": "calico", "mtu": 1480, "ipam": {"type": "calico-ipam"}}]}' },
  ];
  const codes = (options: AnalyzeOptions) => analyzeTexts(files, options).findings.map((f) => f.code);
  // IPIP needs 20 bytes: 1480 + 20 fits 1500 exactly.
  assert.deepEqual(codes({}), []);
  assert.deepEqual(codes({ underlayMTU: 1450 }), ['overlay-mtu-too-large']);
  const vxlan = [...files, { file: 'pool2.yaml', text: 'apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata: {name: q}\nspec: {cidr: 10.245.0.0/16, vxlanMode: Always}\n' }];
  const f = analyzeTexts(vxlan).findings;
  assert.deepEqual(f.map((x) => x.code), ['overlay-mtu-too-large']);
  assert.match(f[0]!.message, /MTU 1480 plus VXLAN encapsulation \(50 bytes\) exceeds the underlay MTU 1500 .* use 1450 or less/);
  assert.deepEqual(analyzeTexts(vxlan, { underlayMTU: 9000 }).findings, []);
});

test('kube-proxy in iptables mode is noted only with thousands of Services', () => {
  const proxy = { file: 'proxy.yaml', text: 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ""\nclusterCIDR: 10.244.0.0/16\n' };
  const services = (n: number) => ({
    file: 'services.yaml',
    text: Array.from({ length: n }, (_, i) => `apiVersion: v1\nkind: Service\nmetadata: {name: s${i}, namespace: default}\nspec: {ports: [{port: 80}]}\n`).join('---\n'),
  });
  const codes = (n: number, p = proxy) => analyzeTexts([p, services(n)]).findings.map((f) => f.code).filter((c) => c === 'kube-proxy-iptables-at-scale');
  assert.deepEqual(codes(999), []);
  assert.deepEqual(codes(1000), ['kube-proxy-iptables-at-scale']);
  assert.deepEqual(codes(1000, { ...proxy, text: proxy.text.replace('mode: ""', 'mode: nftables') }), []);
});

test('the CLI reads .conflist files and takes the cluster options', async () => {
  const { spawnSync } = await import('node:child_process');
  const { CLI } = await import('./support/paths.js');
  const dir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'netlens-cni-'));
  fs.writeFileSync(path.join(dir, '10-flannel.conflist'), '{"cniVersion": "0.3.1", "name": "cbr0", "plugins": [{"type": "flannel"}]}');
  fs.writeFileSync(path.join(dir, 'policy.yaml'), policy);
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'check', '--format', 'json', ...args, dir], { encoding: 'utf8' });
  // (The workspace declares no pods, so the policy's own pods are noted as deployed from elsewhere.)
  const codes = (r: ReturnType<typeof run>) => (JSON.parse(r.stdout) as { findings: Array<{ code: string }> }).findings.map((f) => f.code).filter((c) => c !== 'pods-not-in-workspace');
  assert.deepEqual(codes(run()), ['cni-ignores-network-policy']);
  assert.deepEqual(codes(run('--cni', 'calico')), []);
  const bad = run('--underlay-mtu', 'big');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--underlay-mtu must be a number/);
});

test('the CLI flags --underlay-mtu, --pod-cidr and --service-cidr change exactly the findings they bear on', async () => {
  const { spawnSync } = await import('node:child_process');
  const { CLI } = await import('./support/paths.js');
  const { scratchWorkspace } = await import('./support/scratch.js');
  const dir = scratchWorkspace('cluster-flags', {
    'mtu/pool.yaml': 'apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata: {name: p}\nspec: {cidr: 10.244.0.0/16, vxlanMode: Always}\n',
    'mtu/10-calico.conflist': '{"cniVersion": "0.3.1", "name": "k8s-pod-network", "plugins": [{"type": "calico", "mtu": 8950, "ipam": {"type": "calico-ipam"}}]}',
    // No cluster config here, so the flags are the cluster's ranges.
    'ranges/net.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: by-ip, namespace: default}
spec:
  podSelector: {}
  egress: [{to: [{ipBlock: {cidr: 172.16.5.0/24}}]}]
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: default}
spec:
  clusterIP: 10.200.0.20
  ports: [{port: 5432}]
`,
  });
  const check = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, 'check', ...args], { cwd: dir, encoding: 'utf8' });
    // The policy's pods are not declared: that note is the same in every run.
    return { status: r.status, lines: r.stdout.split('\n').filter((l) => l !== '' && !l.includes('pods-not-in-workspace') && !l.includes(' finding(s): ')) };
  };
  // The finding names what set the underlay MTU: the CLI flag, or the default the flag would change.
  const tooLarge = (underlay: number, origin = '--underlay-mtu') => [
    `mtu/10-calico.conflist:1:90: warning overlay-mtu-too-large: MTU 8950 plus VXLAN encapsulation (50 bytes) exceeds the underlay MTU ${underlay} (${origin}): use ${underlay - 50} or less.`,
    '    mtu/pool.yaml:4:40: Calico IPPool vxlan',
  ];
  assert.deepEqual(check('mtu'), { status: 0, lines: tooLarge(1500, 'the default; set --underlay-mtu') });
  assert.deepEqual(check('--underlay-mtu', '8999', 'mtu'), { status: 0, lines: tooLarge(8999) });
  // 8950 + 50 fits 9000 exactly.
  assert.deepEqual(check('--underlay-mtu', '9000', 'mtu'), { status: 0, lines: [] });

  const outsideServices =
    'ranges/net.yaml:12:14: error cluster-ip-outside-service-cidr: clusterIP 10.200.0.20 is outside the Service CIDR 10.96.0.0/12; the API server will reject it. Pick a clusterIP inside the Service CIDR, or leave it out to have one assigned.';
  const coversPods = 'ranges/net.yaml:6:35: information ipblock-covers-pod-cidr: 172.16.5.0/24 overlaps the pod CIDR 172.16.0.0/16: pod IPs change when pods restart; select pods by label instead.';
  assert.deepEqual(check('ranges'), { status: 1, lines: [outsideServices] });
  assert.deepEqual(check('--service-cidr', '10.200.0.0/16', 'ranges'), { status: 0, lines: [] });
  assert.deepEqual(check('--pod-cidr', '172.16.0.0/16,fd00::/48', 'ranges'), { status: 1, lines: [coversPods, outsideServices] });
});

test('one cluster at a time: the lexically first CNI file decides, a .conflist without plugins decides nothing, each folder its own cluster', () => {
  const conflist = (type: string) => `{"cniVersion": "1.0.0", "name": "net", "plugins": [{"type": "${type}"}]}`;
  const summary = (files: Array<{ file: string; text: string }>) => {
    const a = analyzeTexts([{ file: 'p.yaml', text: policy }, ...files]);
    return { cni: a.cluster.cni, origin: a.cluster.cniOrigin, codes: a.findings.map((f) => `${f.span.file} ${f.code}`).filter((c) => c.includes('cni')) };
  };
  // The runtime reads /etc/cni/net.d in name order and uses the first file: flannel, which enforces nothing, though Calico is beside it.
  assert.deepEqual(summary([{ file: 'net.d/10-calico.conflist', text: conflist('calico') }, { file: 'net.d/05-flannel.conflist', text: conflist('flannel') }]), {
    cni: 'flannel',
    origin: 'CNI plugin "flannel" in 05-flannel.conflist, the lexically first of 2 CNI configuration files, which is the one the runtime uses',
    codes: ['p.yaml cni-ignores-network-policy'],
  });
  // A .conflist without plugins is refused by the runtime: an error, and the next file decides.
  const noPlugins = { file: 'net.d/00-broken.conflist', text: '{"cniVersion": "1.0.0", "name": "net", "type": "flannel"}' };
  assert.deepEqual(summary([noPlugins, { file: 'net.d/10-calico.conflist', text: conflist('calico') }]), {
    cni: 'calico',
    origin: 'CNI plugin "calico" in 10-calico.conflist',
    codes: ['net.d/00-broken.conflist cni-conflist-without-plugins'],
  });
  assert.deepEqual(summary([noPlugins]), { cni: undefined, origin: undefined, codes: ['net.d/00-broken.conflist cni-conflist-without-plugins'] });
  // Two clusters in one workspace: each folder's CNI decides for the policies nearest to it.
  const twoClusters = analyzeTexts([
    { file: 'a/cni/10-calico.conflist', text: conflist('calico') },
    { file: 'a/apps/p.yaml', text: policy },
    { file: 'b/cni/10-flannel.conflist', text: conflist('flannel') },
    { file: 'b/apps/p.yaml', text: policy.replace('name: deny', 'name: deny-b') },
  ]);
  assert.deepEqual(
    twoClusters.findings.filter((f) => f.code === 'cni-ignores-network-policy').map((f) => `${f.span.file}: ${f.message} [${f.related.map((r) => `${r.span.file} ${r.message}`).join('; ')}]`),
    ['b/apps/p.yaml: The cluster\'s CNI (flannel, from CNI plugin "flannel" in 10-flannel.conflist) does not implement NetworkPolicy: this policy will silently do nothing. Run a CNI that enforces NetworkPolicy (Calico, Cilium, or flannel with Canal), or do not rely on this policy. [b/cni/10-flannel.conflist the CNI: CNI plugin "flannel" in 10-flannel.conflist]'],
  );
});

test('one cluster at a time for address ranges: a policy and a Service are judged against their own cluster, and two clusters ranges never collide', () => {
  const conflist = (subnet: string) => `{"cniVersion": "1.0.0", "name": "net", "plugins": [{"type": "bridge", "ipam": {"type": "host-local", "subnet": "${subnet}"}}]}`;
  const ipBlockPolicy = (name: string, cidr: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: default}\nspec:\n  podSelector: {}\n  egress: [{to: [{ipBlock: {cidr: ${cidr}}}]}]\n`;
  const kubeadm = (pods: string, services: string) =>
    `apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking: {podSubnet: ${pods}, serviceSubnet: ${services}}\n`;
  const files = [
    // Cluster a: pods 10.1.0.0/16. Cluster b: pods 10.2.0.0/16, Services 10.1.0.0/16 (a's pod range: no collision, other cluster).
    { file: 'clusters/a/cni/10-bridge.conflist', text: conflist('10.1.0.0/16') },
    { file: 'clusters/b/kubeadm.yaml', text: kubeadm('10.2.0.0/16', '10.1.0.0/16') },
    // Each policy names the other cluster's pod range, and its own.
    { file: 'clusters/a/apps/p.yaml', text: ipBlockPolicy('a-to-b', '10.2.0.0/24') + '---\n' + ipBlockPolicy('a-to-a', '10.1.0.0/24') },
    { file: 'clusters/b/apps/p.yaml', text: ipBlockPolicy('b-to-a', '10.1.5.0/24') },
  ];
  const found = analyzeTexts(files).findings.filter((f) => f.code.startsWith('ipblock-') || f.code === 'cluster-cidrs-overlap').map((f) => `${f.span.file} ${f.code}: ${f.message.split(':')[0]}`);
  assert.deepEqual(found, [
    'clusters/a/apps/p.yaml ipblock-covers-pod-cidr: 10.1.0.0/24 overlaps the pod CIDR 10.1.0.0/16',
    // In cluster b, 10.1.5.0/24 is inside the Service range: ClusterIPs never match an ipBlock.
    'clusters/b/apps/p.yaml ipblock-covers-service-cidr: 10.1.5.0/24 overlaps the Service CIDR 10.1.0.0/16',
  ]);
  // One cluster (every range file under one folder): the ranges are the workspace's, and they do collide.
  const one = analyzeTexts([
    { file: 'cluster/cni/10-bridge.conflist', text: conflist('10.1.0.0/16') },
    { file: 'cluster/kubeadm.yaml', text: kubeadm('10.2.0.0/16', '10.1.0.0/16') },
  ]);
  assert.deepEqual(one.findings.map((f) => f.code), ['cluster-cidrs-overlap']);
  // One cluster whose configuration folders sit side by side at the top, named for what they hold: kubeadm's ranges
  // hold for the apps beside them (in two clusters, apps/ would be in neither, and judged against the settings' 10.244.0.0/16).
  const sideBySide = analyzeTexts([
    { file: 'cni/10-bridge.conflist', text: conflist('10.1.0.0/16') },
    { file: 'kubeadm/cluster.yaml', text: kubeadm('10.1.0.0/16', '10.96.0.0/12') },
    { file: 'apps/p.yaml', text: ipBlockPolicy('to-pods', '10.1.3.0/24') + '---\n' + ipBlockPolicy('to-default-range', '10.244.3.0/24') },
  ]);
  assert.deepEqual(
    sideBySide.findings.filter((f) => f.code.startsWith('ipblock-')).map((f) => `${f.span.file} ${f.code}: ${f.message.split(':')[0]}`),
    ['apps/p.yaml ipblock-covers-pod-cidr: 10.1.3.0/24 overlaps the pod CIDR 10.1.0.0/16'],
  );
});
