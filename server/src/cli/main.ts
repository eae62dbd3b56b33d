/**
 * `netlens`: the engine from the command line.
 *   netlens matrix [--port N] [--protocol TCP|UDP|SCTP] [--json] FILES...
 *   netlens check [--format text|json|sarif] [--fail-on LEVEL] [--baseline FILE] [--write-baseline FILE] [CLUSTER OPTIONS] FILES_OR_DIRS...
 *   netlens explain SOURCE DESTINATION [--port N] [--protocol P] [--json] FILES...
 *   netlens diff [--base REF] [--format text|json|markdown] [FILES...]
 */
import {
  analyze,
  declaredPorts,
  explainConnection,
  explanationReport,
  flowDiff,
  formatExplainReport,
  LineIndex,
  parseIP,
  parseManifestFile,
  parsePrefix,
  PROJECT_CONFIG_FILE,
  readProjectConfig,
  resolveEndpoint,
  RULE_GUIDANCE,
  RULES,
  standsForOnePod,
  type Analysis,
  type AnalyzeOptions,
  type Finding,
  type ManifestFile,
  type ProjectConfig,
  type Protocol,
  type RuleCode,
  type Severity,
} from '../engine/index.js';
import { chartNotRenderedFinding, helmCharts, mapChartSpans, renderChartSync, renderedChart, type RenderedChart } from '../sources/helm.js';
import { isTestSuite, testExpectationFiles } from '../sources/testExpectations.js';
import { kustomizePatchFiles, kustomizeTrees, mapRenderedSpans, notRenderedFinding, remoteResources, renderedAway, renderedRoot, renderKustomization, uniqueFindings, type RenderedRoot } from '../sources/kustomize.js';
import * as fs from 'node:fs';
import { applySuppressions, readSuppressionComments, type SuppressionSources } from '../engine/suppressions.js';
import { codesForPath, severitiesForPath } from '../pathSuppressions.js';
import { collectFiles, InputError, readText } from './files.js';
import * as path from 'node:path';
import { fingerprints } from './fingerprints.js';
import { escapeControls } from './terminalText.js';
import { formatFindingsJson, formatFindingsText } from './formatFindings.js';
import { formatFindingsSarif } from './formatSarif.js';
import { formatFlowDiffMarkdown, formatFlowDiffText } from './formatFlowDiff.js';
import { formatMatrixTable } from './formatMatrix.js';
import { filesAtRef } from '../gitBase.js';

const MATRIX_USAGE = `usage: netlens matrix [--port N] [--protocol TCP|UDP|SCTP] [--json] [--kustomize BINARY] FILES_OR_DIRS...

Prints who can reach whom: one row (source) and one column (destination) per
Pod or workload. Without --port a cell is allowed when some port the
destination declares is allowed. --json prints {"pods": [...], "allowed": [[...]]}.`;

/** Kept equal to package.json's version (test/sarif.test.ts checks). */
const VERSION = '0.1.0';

const CHECK_USAGE = `usage: netlens check [--format text|json|sarif] [--fail-on error|warning|information]
                     [--baseline FILE] [--write-baseline FILE]
                     [--cni NAME] [--underlay-mtu N]
                     [--pod-cidr CIDR,...] [--service-cidr CIDR,...] [--kustomize BINARY]
                     [--helm BINARY] [--helm-values FILE,...] FILES_OR_DIRS...

Prints every finding as file:line:column: severity code: message (or JSON, or
SARIF 2.1.0 for code scanning). Exits 1 when a finding is at or above --fail-on
(default: error), 2 on bad usage or unreadable input, 0 otherwise.
--write-baseline FILE records the current findings; --baseline FILE then
reports only findings not in it (matched by code, file and text, not line).
Suppression comments and .netlens.yaml in the working directory apply.
Cluster options apply where no config file in FILES_OR_DIRS tells: --cni is
auto (default), calico, cilium, flannel, weave, canal or other; --underlay-mtu
defaults to 1500; the CIDRs default to 10.244.0.0/16 and 10.96.0.0/12.
Kustomize roots are rendered with --kustomize BINARY (kubectl, the default,
or kustomize; none reads them raw). Helm charts are rendered with --helm
BINARY (helm, the default; none skips them) and --helm-values files, relative
to each chart; a chart that cannot be rendered gets one finding on Chart.yaml.`;

const EXPLAIN_USAGE = `usage: netlens explain SOURCE DESTINATION [--port N] [--protocol TCP|UDP|SCTP] [--json] FILES_OR_DIRS...

Explains whether SOURCE can reach DESTINATION, and why: per port, the verdict
of the source's egress and the destination's ingress, every policy selecting
either side with each rule checked against the connection, the rules
policyTypes makes Kubernetes ignore, and the closest misses with what would
make them match. SOURCE and DESTINATION are workloads (namespace/name, or a
name found in one namespace only) or IP addresses. Without --port, every port
the destination declares. Exits 0 when allowed on some port, 1 when denied.`;

const DIFF_USAGE = `usage: netlens diff [--base REF] [--format text|json|markdown] [FILES_OR_DIRS...]

What the change since REF (default HEAD) does to reachability: the flows
(source → destination on a port the destination declares) it opens and
closes, each with the reason in the current version. git reads the base;
FILES_OR_DIRS default to the working directory. --format markdown writes a
pull-request comment.`;

const USAGE = `usage:
  netlens matrix [--port N] [--protocol TCP|UDP|SCTP] [--json] FILES_OR_DIRS...
  netlens check [--format text|json|sarif] [--fail-on LEVEL] [--baseline FILE] [CLUSTER OPTIONS] FILES_OR_DIRS...
  netlens explain SOURCE DESTINATION [--port N] [--protocol P] [--json] FILES_OR_DIRS...
  netlens diff [--base REF] [--format text|json|markdown] [FILES_OR_DIRS...]
  netlens explain-code [CODE]
  netlens COMMAND --help    usage of one command

Directories are searched recursively for .yaml, .yml, .json, .conflist and .conf files.`;

const EXPLAIN_CODE_USAGE = `usage: netlens explain-code [CODE]

Prints what a finding code means, its default severity and how to silence it
where it is intended. Without CODE, lists every code.`;

const COMMAND_USAGE: Readonly<Record<string, string>> = { matrix: MATRIX_USAGE, check: CHECK_USAGE, explain: EXPLAIN_USAGE, diff: DIFF_USAGE, 'explain-code': EXPLAIN_CODE_USAGE };

function runExplainCode(args: string[], out: (s: string) => void): number {
  const [code, ...extra] = args;
  if (extra.length > 0) throw new InputError('explain-code takes one code');
  if (code === undefined) {
    out((Object.keys(RULES) as RuleCode[]).map((c) => `${c} (${RULES[c].severity})`).join('\n'));
    return 0;
  }
  if (!Object.prototype.hasOwnProperty.call(RULES, code)) throw new InputError(`no rule ${code}; netlens explain-code lists them`);
  const rule = RULES[code as RuleCode];
  const guidance = RULE_GUIDANCE[code as RuleCode];
  out(
    [
      `${code} (default severity: ${rule.severity})`,
      '',
      rule.doc,
      '',
      `What to do: ${guidance.next}`,
      '',
      'Example of the mistake:',
      ...indented(guidance.wrong),
      'and of the fix:',
      ...indented(guidance.right),
      '',
      `Where it is intended, silence it on the line below a comment:  # netlens-disable-next-line ${code}`,
      `or for the rest of a file:  # netlens-disable ${code}`,
      `JSON files: list them under suppress in .netlens.yaml. Severity everywhere: the netlens.severity setting.`,
    ].join('\n'),
  );
  return 0;
}

/** Example lines, indented four spaces as a block. */
function indented(example: string): string[] {
  return example.split('\n').map((line) => `    ${line}`);
}

/** True when the arguments ask for help (before any `--`, which ends the options). */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

const CLUSTER_FLAGS = ['cni', 'underlay-mtu', 'pod-cidr', 'service-cidr'];

function clusterOptions(flags: Map<string, string | true>): AnalyzeOptions {
  const list = (name: string) => (flags.has(name) ? String(flags.get(name)).split(',').map((s) => s.trim()).filter((s) => s !== '') : undefined);
  const options: { -readonly [K in keyof AnalyzeOptions]: AnalyzeOptions[K] } = {};
  if (flags.has('cni')) {
    const cni = String(flags.get('cni'));
    if (!['auto', 'calico', 'cilium', 'flannel', 'weave', 'canal', 'other'].includes(cni)) throw new InputError(`--cni must be auto, calico, cilium, flannel, weave, canal or other, not ${cni}`);
    options.cni = cni;
  }
  if (flags.has('underlay-mtu')) {
    const mtu = /^[0-9]+$/.test(String(flags.get('underlay-mtu'))) ? Number(flags.get('underlay-mtu')) : NaN;
    if (!Number.isInteger(mtu) || mtu < 576 || mtu > 65535) throw new InputError(`--underlay-mtu must be a number from 576 to 65535, not ${String(flags.get('underlay-mtu'))}`);
    options.underlayMTU = mtu;
    options.underlayMTUOrigin = '--underlay-mtu';
  } else options.underlayMTUOrigin = 'the default; set --underlay-mtu';
  for (const name of ['pod-cidr', 'service-cidr']) {
    for (const cidr of list(name) ?? []) {
      const parsed = parsePrefix(cidr);
      if (!parsed.ok) throw new InputError(`--${name}: ${parsed.error}`);
    }
  }
  const pods = list('pod-cidr');
  if (pods) options.podCIDRs = pods;
  const services = list('service-cidr');
  if (services) options.serviceCIDRs = services;
  return options;
}

interface Loaded {
  readonly analysis: Analysis;
  /** The analysis' findings once suppression comments and .netlens.yaml apply. */
  readonly findings: readonly Finding[];
  readonly lineIndex: (file: string) => LineIndex;
  readonly text: (file: string) => string;
}

/** What renders kustomize roots and Helm charts. */
interface Renderers {
  readonly kustomize: string;
  readonly helm: string;
  readonly helmValues: readonly string[];
}

const DEFAULT_RENDERERS: Renderers = { kustomize: 'kubectl', helm: 'none', helmValues: [] };

function load(paths: readonly string[], options: AnalyzeOptions = {}, renderers: Renderers = DEFAULT_RENDERERS, err: (s: string) => void = () => {}): Loaded {
  if (paths.length === 0) throw new InputError('no files given');
  const texts = new Map<string, string>();
  for (const file of collectFiles(paths)) texts.set(file, readText(file));
  const configFiles = [...texts].filter(([file]) => path.basename(file) === PROJECT_CONFIG_FILE).map(([file, text]) => ({ file, config: readProjectConfig(file, text) }));
  const configs = configFiles.map((c) => c.config);
  const charts = helmSources(texts, renderers);
  const sources = kustomizeSources(charts.texts, renderers.kustomize, err);
  const analyzed = analyze([...sources.manifests, ...charts.manifests], { ...options, externalComponents: configs.flatMap((c) => c.externalComponents) });
  const readSource = (file: string) => texts.get(file) ?? texts.get(path.relative('.', file)) ?? tryRead(file);
  const byAbsolute = new Map([...texts.keys()].map((f) => [path.resolve(f), f]));
  const fileName = (absolute: string) => byAbsolute.get(absolute) ?? path.relative('.', absolute);
  const fromCharts = charts.rendered.reduce((all, chart) => mapChartSpans(chart, all, readSource, fileName), analyzed.findings);
  const mapped = sources.rendered.reduce((all, root) => mapRenderedSpans(root, all, readSource, fileName), fromCharts);
  const analysis = { ...analyzed, findings: [...uniqueFindings(mapped), ...sources.findings, ...charts.findings, ...configs.flatMap((c) => c.findings)] };
  const findings = applySuppressions(analysis.findings, texts.keys(), {
    commentsOf: (file) => readSuppressionComments(file, texts.get(file) ?? ''),
    ...projectPathRules(configFiles),
  });
  const indexes = new Map<string, LineIndex>();
  const lineIndex = (file: string) => {
    let idx = indexes.get(file);
    if (idx === undefined) indexes.set(file, (idx = new LineIndex(readSource(file) ?? '')));
    return idx;
  };
  return { analysis, findings, lineIndex, text: (file) => readSource(file) ?? '' };
}

/**
 * .netlens.yaml in the working directory, where CI jobs run from the
 * repository root: the one already read among the checked files if it is
 * there (its problems are findings then), else read here.
 */
function projectPathRules(checked: ReadonlyArray<{ file: string; config: ProjectConfig }>): Pick<SuppressionSources, 'codesForPath' | 'severitiesForPath'> {
  const here = path.resolve(PROJECT_CONFIG_FILE);
  let config = checked.find((c) => path.resolve(c.file) === here)?.config;
  if (config === undefined) {
    let text: string;
    try {
      text = fs.readFileSync(PROJECT_CONFIG_FILE, 'utf8');
    } catch {
      return {};
    }
    config = readProjectConfig(PROJECT_CONFIG_FILE, text);
    for (const f of config.findings) process.stderr.write(escapeControls(`netlens: ${PROJECT_CONFIG_FILE}: ${f.message}`) + '\n');
  }
  return { codesForPath: codesForPath(config, process.cwd()), severitiesForPath: severitiesForPath(config, process.cwd()) };
}

function tryRead(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The manifests to analyse: kustomize roots rendered (their raw files left
 * out), the files kustomizations name as patches and end-to-end tests'
 * expectation files left out, everything else as it is. Without the binary, each tree's files take
 * the kustomization's namespace, and stderr says once what is not rendered.
 */
function kustomizeSources(texts: ReadonlyMap<string, string>, binary: string, err: (s: string) => void): { manifests: ManifestFile[]; rendered: RenderedRoot[]; findings: Finding[] } {
  const trees = binary === 'none' ? [] : kustomizeTrees(texts);
  const rendered: RenderedRoot[] = [];
  const findings: Finding[] = [];
  const namespaceOf = new Map<string, string>();
  const replaced = new Set<string>();
  let missing = false;
  for (const tree of trees) {
    const result = missing ? undefined : renderKustomization(tree.root.dir, binary);
    const rootFile = [...texts.keys()].find((f) => path.resolve(f) === tree.root.file) ?? tree.root.file;
    if (result?.ok) {
      const root = renderedRoot(rootFile, result);
      rendered.push(root);
      renderedAway(tree).forEach((f) => replaced.add(f));
      continue;
    }
    if (result !== undefined && !result.missingBinary) {
      findings.push(notRenderedFinding(rootFile, binary, result.error, false, remoteResources(tree)));
    } else missing = true;
    if (tree.root.namespace !== undefined) for (const f of tree.files) if (!namespaceOf.has(f)) namespaceOf.set(f, tree.root.namespace);
  }
  if (missing) err(`netlens: ${binary} not found: kustomizations are not rendered; only their namespace is applied (--kustomize names the binary)`);
  // Patches are fragments of objects defined elsewhere, rendered or not (kustomizePatchFiles).
  if (binary !== 'none') kustomizePatchFiles(texts).forEach((f) => replaced.add(f));
  // End-to-end tests' expectation files are partial objects matched against a cluster, never applied (testExpectations.ts).
  testExpectationFiles(new Map([...texts].filter(([file, text]) => isTestSuite(file, text))), texts.keys()).forEach((f) => replaced.add(f));
  const manifests = [...texts].filter(([file]) => !replaced.has(file)).map(([file, text]) => parseManifestFile(file, text, namespaceOf.has(file) ? { defaultNamespace: namespaceOf.get(file)! } : {}));
  for (const root of rendered) manifests.push(parseManifestFile(root.virtualFile, root.text));
  return { manifests, rendered, findings };
}

/**
 * Helm charts rendered with helm template: the rendered text stands for the
 * chart's templates (left out of the texts the rest reads); a chart that
 * cannot be rendered keeps its templates (silent as manifests) and gets one
 * finding on Chart.yaml.
 */
function helmSources(texts: ReadonlyMap<string, string>, renderers: Renderers): { texts: Map<string, string>; manifests: ManifestFile[]; rendered: RenderedChart[]; findings: Finding[] } {
  const rest = new Map(texts);
  const manifests: ManifestFile[] = [];
  const rendered: RenderedChart[] = [];
  const findings: Finding[] = [];
  for (const chart of renderers.helm === 'none' ? [] : helmCharts(texts)) {
    const chartFile = [...texts.keys()].find((f) => path.resolve(f) === chart.file) ?? chart.file;
    const render = renderChartSync(chart, renderers.helm, renderers.helmValues);
    if (!render.ok) {
      findings.push(chartNotRenderedFinding(chartFile, renderers.helm, render));
      continue;
    }
    const root = renderedChart(chart, chartFile, render.text);
    rendered.push(root);
    manifests.push(parseManifestFile(root.virtualFile, root.text));
    for (const file of texts.keys()) if (path.resolve(file).startsWith(path.join(chart.dir, 'templates') + path.sep)) rest.delete(file);
  }
  return { texts: rest, manifests, rendered, findings };
}

function parseFlags(args: string[], valued: string[], boolean: string[]): { flags: Map<string, string | true>; rest: string[] } {
  const flags = new Map<string, string | true>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      rest.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
      if (valued.includes(name)) {
        const value = inline ?? args[++i];
        if (value === undefined) throw new InputError(`--${name} needs a value`);
        flags.set(name, value);
      } else if (boolean.includes(name)) flags.set(name, true);
      else throw new InputError(`unknown option --${name}`);
    } else rest.push(a);
  }
  return { flags, rest };
}

function portFlags(flags: Map<string, string | true>): { port: number | undefined; protocol: Protocol | undefined } {
  let port: number | undefined;
  if (flags.has('port')) {
    // Decimal digits only: Number() would also take 0x50, 8e1 and ' 80 '.
    port = /^[0-9]+$/.test(String(flags.get('port'))) ? Number(flags.get('port')) : NaN;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InputError(`--port must be a number from 1 to 65535, not ${String(flags.get('port'))}`);
  }
  let protocol: Protocol | undefined;
  if (flags.has('protocol')) {
    const p = String(flags.get('protocol')).toUpperCase();
    if (p !== 'TCP' && p !== 'UDP' && p !== 'SCTP') throw new InputError(`--protocol must be TCP, UDP or SCTP, not ${String(flags.get('protocol'))}`);
    protocol = p;
  }
  return { port, protocol };
}

function runMatrix(args: string[], out: (s: string) => void, err: (s: string) => void): number {
  const { flags, rest } = parseFlags(args, ['port', 'protocol', 'kustomize'], ['json']);
  const { port, protocol } = portFlags(flags);
  const { analysis, lineIndex } = load(rest, {}, { ...DEFAULT_RENDERERS, kustomize: String(flags.get('kustomize') ?? 'kubectl') }, err);
  // The matrix still answers with the parseable documents; say which ones were left out.
  for (const f of analysis.findings) if (f.code === 'yaml-syntax') err(`warning: ${formatFindingsText([f], lineIndex).split('\n')[0]}`);
  const { groups, allowed } = analysis.reachability.groupMatrix({ port, protocol });
  const pods = groups.map((g) => g.id);
  if (flags.has('json')) out(JSON.stringify({ pods, allowed }));
  else out(formatMatrixTable(pods, allowed, groups.map(standsForOnePod), port === undefined ? `any declared port${protocol ? ` (${protocol})` : ''}` : `${port}/${protocol ?? 'TCP'}`));
  return 0;
}

function runExplain(args: string[], out: (s: string) => void): number {
  const { flags, rest } = parseFlags(args, ['port', 'protocol'], ['json']);
  const { port, protocol } = portFlags(flags);
  const [sourceText, destinationText, ...paths] = rest;
  if (sourceText === undefined || destinationText === undefined) throw new InputError('explain needs a SOURCE and a DESTINATION');
  const { analysis, lineIndex } = load(paths);
  const toIP = (t: string) => {
    const ip = parseIP(t);
    return ip.ok ? ip.value : undefined;
  };
  const source = resolveEndpoint(analysis.workspace, sourceText, toIP);
  if (!source.ok) throw new InputError(`source: ${source.message}`);
  const destination = resolveEndpoint(analysis.workspace, destinationText, toIP);
  if (!destination.ok) throw new InputError(`destination: ${destination.message}`);
  const ports: Array<[number, Protocol]> = port !== undefined ? [[port, protocol ?? 'TCP']] : declaredPorts(destination.endpoint, protocol);
  if (ports.length === 0) throw new InputError(`${destinationText} declares no${protocol ? ` ${protocol}` : ''} container ports: give --port`);
  const explanation = explainConnection(analysis.workspace, analysis.reachability.namespaceLabels, { source: source.endpoint, destination: destination.endpoint, ports });
  const report = explanationReport(explanation, lineIndex);
  out(flags.has('json') ? JSON.stringify(report, null, 2) : formatExplainReport(report).join('\n'));
  return report.allowed ? 0 : 1;
}

function runDiff(args: string[], out: (s: string) => void): number {
  const { flags, rest } = parseFlags(args, ['base', 'format'], []);
  const format = String(flags.get('format') ?? 'text');
  if (format !== 'text' && format !== 'json' && format !== 'markdown') throw new InputError(`--format must be text, json or markdown, not ${format}`);
  const ref = String(flags.get('base') ?? 'HEAD');
  const paths = rest.length > 0 ? rest : ['.'];
  const head = load(paths).analysis;
  const base = analyze(filesAtRef(ref, paths).map((f) => parseManifestFile(f.file, f.text)));
  const changes = flowDiff(base, head);
  out(format === 'json' ? JSON.stringify({ base: ref, changes }, null, 2) : format === 'markdown' ? formatFlowDiffMarkdown(changes, ref) : formatFlowDiffText(changes, ref));
  return 0;
}

const FAIL_LEVELS: readonly Severity[] = ['error', 'warning', 'information'];

/** A baseline: the fingerprints of the findings a team has accepted, so CI reports only new ones. */
interface Baseline {
  readonly version: 1;
  readonly findings: ReadonlyArray<{ readonly code: string; readonly file: string; readonly fingerprint: string }>;
}

function readBaseline(file: string): Set<string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readText(file));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`--baseline ${file} is not JSON written by --write-baseline`);
  }
  const list = (parsed as Partial<Baseline> | null)?.findings;
  if (!Array.isArray(list) || !list.every((f) => typeof f?.fingerprint === 'string')) throw new InputError(`--baseline ${file} is not JSON written by --write-baseline`);
  return new Set(list.map((f) => f.fingerprint));
}

function runCheck(args: string[], out: (s: string) => void, err: (s: string) => void): number {
  const { flags, rest } = parseFlags(args, ['format', 'baseline', 'write-baseline', 'fail-on', 'kustomize', 'helm', 'helm-values', ...CLUSTER_FLAGS], []);
  const format = flags.get('format') ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new InputError(`--format must be text, json or sarif, not ${String(format)}`);
  const failOn = String(flags.get('fail-on') ?? 'error') as Severity;
  if (!FAIL_LEVELS.includes(failOn)) throw new InputError(`--fail-on must be error, warning or information, not ${failOn}`);
  const accepted = flags.has('baseline') ? readBaseline(String(flags.get('baseline'))) : undefined;
  const renderers: Renderers = {
    kustomize: String(flags.get('kustomize') ?? 'kubectl'),
    helm: String(flags.get('helm') ?? 'helm'),
    helmValues: String(flags.get('helm-values') ?? '').split(',').filter((v) => v !== ''),
  };
  const loaded = load(rest, clusterOptions(flags), renderers, err);
  const lineIndex = loaded.lineIndex;
  const sorted = sortFindings(loaded.findings);
  // Paths as the command line gave them, relative to the working directory: a baseline
  // written in one checkout matches the same files in another.
  const displayPath = (file: string) => path.relative(process.cwd(), path.resolve(file)).split(path.sep).join('/');
  const allPrints = fingerprints(sorted, loaded.text, displayPath);
  const writeTo = flags.get('write-baseline');
  if (writeTo !== undefined) {
    const baseline: Baseline = { version: 1, findings: sorted.map((f, i) => ({ code: f.code, file: displayPath(f.span.file), fingerprint: allPrints[i]! })) };
    try {
      fs.writeFileSync(String(writeTo), JSON.stringify(baseline, null, 2) + '\n');
    } catch (e) {
      throw new InputError(`cannot write ${String(writeTo)}: ${(e as Error).message}`);
    }
  }
  const keep = sorted.map((_, i) => accepted === undefined || !accepted.has(allPrints[i]!));
  const findings = sorted.filter((_, i) => keep[i]);
  const prints = allPrints.filter((_, i) => keep[i]);
  if (format === 'sarif') out(formatFindingsSarif({ findings, fingerprints: prints, lineIndex, root: process.cwd(), version: VERSION }));
  else out(format === 'json' ? formatFindingsJson(findings, lineIndex) : formatFindingsText(findings, lineIndex));
  const failing = FAIL_LEVELS.slice(0, FAIL_LEVELS.indexOf(failOn) + 1);
  return findings.some((f) => failing.includes(f.severity)) ? 1 : 0;
}

function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : a.span.start - b.span.start));
}

export function main(argv: string[], write: (s: string) => void = (s) => process.stdout.write(s + '\n'), writeError: (s: string) => void = (s) => process.stderr.write(s + '\n')): number {
  const out = (s: string) => write(escapeControls(s));
  const err = (s: string) => writeError(escapeControls(s));
  const [command, ...args] = argv;
  const commandUsage = command === undefined ? undefined : COMMAND_USAGE[command];
  if (commandUsage !== undefined && asksForHelp(args)) {
    out(commandUsage);
    return 0;
  }
  try {
    switch (command) {
      case 'matrix':
        return runMatrix(args, out, err);
      case 'check':
        return runCheck(args, out, err);
      case 'explain':
        return runExplain(args, out);
      case 'diff':
        return runDiff(args, out);
      case 'explain-code':
        return runExplainCode(args, out);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        err(`netlens: unknown command "${command}"\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof InputError) {
      err(`netlens: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  // The yaml parser reads process.env.LOG_TOKENS once per token, and Node's env
  // object is a slow native accessor: a plain copy makes parsing a third faster.
  // Done in the entry points only; the engine keeps away from global state.
  process.env = { ...process.env };
  process.exitCode = main(process.argv.slice(2));
}
