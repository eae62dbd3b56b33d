/**
 * `netlens`: the engine from the command line.
 *   netlens matrix [--port N] [--protocol TCP|UDP|SCTP] [--json] FILES...
 *   netlens check [--format text|json|sarif] [--fail-on LEVEL] [--baseline FILE] [--write-baseline FILE] [CLUSTER OPTIONS] FILES_OR_DIRS...
 */
import { analyze, LineIndex, parseManifestFile, PROJECT_CONFIG_FILE, readProjectConfig, RULES, type Analysis, type AnalyzeOptions, type Finding, type Protocol, type RuleCode, type Severity } from '../engine/index.js';
import * as fs from 'node:fs';
import { applySuppressions, readSuppressionComments } from '../engine/suppressions.js';
import { codesForPath } from '../pathSuppressions.js';
import { collectFiles, InputError, readText } from './files.js';
import * as path from 'node:path';
import { fingerprints } from './fingerprints.js';
import { formatFindingsJson, formatFindingsText } from './formatFindings.js';
import { formatFindingsSarif } from './formatSarif.js';
import { formatMatrixTable } from './formatMatrix.js';

const MATRIX_USAGE = `usage: netlens matrix [--port N] [--protocol TCP|UDP|SCTP] [--json] FILES_OR_DIRS...

Prints who can reach whom: one row (source) and one column (destination) per
Pod or workload. Without --port a cell is allowed when some port the
destination declares is allowed. --json prints {"pods": [...], "allowed": [[...]]}.`;

/** Kept equal to package.json's version (test/sarif.test.ts checks). */
const VERSION = '0.1.0';

const CHECK_USAGE = `usage: netlens check [--format text|json|sarif] [--fail-on error|warning|information]
                     [--baseline FILE] [--write-baseline FILE]
                     [--cni NAME] [--underlay-mtu N]
                     [--pod-cidr CIDR,...] [--service-cidr CIDR,...] FILES_OR_DIRS...

Prints every finding as file:line:column: severity code: message (or JSON, or
SARIF 2.1.0 for code scanning). Exits 1 when a finding is at or above --fail-on
(default: error), 2 on bad usage or unreadable input, 0 otherwise.
--write-baseline FILE records the current findings; --baseline FILE then
reports only findings not in it (matched by code, file and text, not line).
Suppression comments and .netlens.yaml in the working directory apply.
Cluster options apply where no config file in FILES_OR_DIRS tells: --cni is
auto (default), calico, cilium, flannel, weave, canal or other; --underlay-mtu
defaults to 1500; the CIDRs default to 10.244.0.0/16 and 10.96.0.0/12.`;

const USAGE = `usage:
  netlens matrix [--port N] [--protocol TCP|UDP|SCTP] [--json] FILES_OR_DIRS...
  netlens check [--format text|json|sarif] [--fail-on LEVEL] [--baseline FILE] [CLUSTER OPTIONS] FILES_OR_DIRS...
  netlens explain-code [CODE]
  netlens COMMAND --help    usage of one command

Directories are searched recursively for .yaml, .yml, .json, .conflist and .conf files.`;

const EXPLAIN_CODE_USAGE = `usage: netlens explain-code [CODE]

Prints what a finding code means, its default severity and how to silence it
where it is intended. Without CODE, lists every code.`;

const COMMAND_USAGE: Readonly<Record<string, string>> = { matrix: MATRIX_USAGE, check: CHECK_USAGE, 'explain-code': EXPLAIN_CODE_USAGE };

function runExplainCode(args: string[], out: (s: string) => void): number {
  const [code, ...extra] = args;
  if (extra.length > 0) throw new InputError('explain-code takes one code');
  if (code === undefined) {
    out((Object.keys(RULES) as RuleCode[]).map((c) => `${c} (${RULES[c].severity})`).join('\n'));
    return 0;
  }
  if (!Object.prototype.hasOwnProperty.call(RULES, code)) throw new InputError(`no rule ${code}; netlens explain-code lists them`);
  const rule = RULES[code as RuleCode];
  out(
    [
      `${code} (default severity: ${rule.severity})`,
      '',
      rule.doc,
      '',
      `Where it is intended, silence it on the line below a comment:  # netlens-disable-next-line ${code}`,
      `or for the rest of a file:  # netlens-disable ${code}`,
      `JSON files: list them under suppress in .netlens.yaml. Severity everywhere: the netlens.severity setting.`,
    ].join('\n'),
  );
  return 0;
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
    const mtu = Number(flags.get('underlay-mtu'));
    if (!Number.isInteger(mtu) || mtu < 576 || mtu > 65535) throw new InputError(`--underlay-mtu must be a number from 576 to 65535, not ${String(flags.get('underlay-mtu'))}`);
    options.underlayMTU = mtu;
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

function load(paths: readonly string[], options: AnalyzeOptions = {}): Loaded {
  if (paths.length === 0) throw new InputError('no files given');
  const texts = new Map<string, string>();
  for (const file of collectFiles(paths)) texts.set(file, readText(file));
  const configs = [...texts].filter(([file]) => path.basename(file) === PROJECT_CONFIG_FILE).map(([file, text]) => readProjectConfig(file, text));
  const analyzed = analyze(
    [...texts].map(([file, text]) => parseManifestFile(file, text)),
    { ...options, externalComponents: configs.flatMap((c) => c.externalComponents) },
  );
  const analysis = { ...analyzed, findings: [...analyzed.findings, ...configs.flatMap((c) => c.findings)] };
  const findings = applySuppressions(analysis.findings, texts.keys(), {
    commentsOf: (file) => readSuppressionComments(file, texts.get(file) ?? ''),
    codesForPath: projectSuppressions(texts),
  });
  const indexes = new Map<string, LineIndex>();
  const lineIndex = (file: string) => {
    let idx = indexes.get(file);
    if (idx === undefined) indexes.set(file, (idx = new LineIndex(texts.get(file) ?? '')));
    return idx;
  };
  return { analysis, findings, lineIndex, text: (file) => texts.get(file) ?? '' };
}

/** .netlens.yaml in the working directory, where CI jobs run from the repository root. */
function projectSuppressions(checked: ReadonlyMap<string, string>): (file: string) => readonly string[] {
  let text: string;
  try {
    text = fs.readFileSync(PROJECT_CONFIG_FILE, 'utf8');
  } catch {
    return () => [];
  }
  const config = readProjectConfig(PROJECT_CONFIG_FILE, text);
  // When the file is among those checked, its problems are findings already.
  const reported = [...checked.keys()].some((f) => path.resolve(f) === path.resolve(PROJECT_CONFIG_FILE));
  if (!reported) for (const f of config.findings) process.stderr.write(`netlens: ${PROJECT_CONFIG_FILE}: ${f.message}\n`);
  return codesForPath(config, process.cwd());
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

function runMatrix(args: string[], out: (s: string) => void, err: (s: string) => void): number {
  const { flags, rest } = parseFlags(args, ['port', 'protocol'], ['json']);
  let port: number | undefined;
  if (flags.has('port')) {
    port = Number(flags.get('port'));
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InputError(`--port must be a number from 1 to 65535, not ${String(flags.get('port'))}`);
  }
  let protocol: Protocol | undefined;
  if (flags.has('protocol')) {
    const p = String(flags.get('protocol')).toUpperCase();
    if (p !== 'TCP' && p !== 'UDP' && p !== 'SCTP') throw new InputError(`--protocol must be TCP, UDP or SCTP, not ${String(flags.get('protocol'))}`);
    protocol = p;
  }
  const { analysis, lineIndex } = load(rest);
  // The matrix still answers with the parseable documents; say which ones were left out.
  for (const f of analysis.findings) if (f.code === 'yaml-syntax') err(`warning: ${formatFindingsText([f], lineIndex).split('\n')[0]}`);
  const { groups, allowed } = analysis.reachability.groupMatrix({ port, protocol });
  const pods = groups.map((g) => g.id);
  if (flags.has('json')) out(JSON.stringify({ pods, allowed }));
  else out(formatMatrixTable(pods, allowed, port === undefined ? `any declared port${protocol ? ` (${protocol})` : ''}` : `${port}/${protocol ?? 'TCP'}`));
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

function runCheck(args: string[], out: (s: string) => void): number {
  const { flags, rest } = parseFlags(args, ['format', 'baseline', 'write-baseline', 'fail-on', ...CLUSTER_FLAGS], []);
  const format = flags.get('format') ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new InputError(`--format must be text, json or sarif, not ${String(format)}`);
  const failOn = String(flags.get('fail-on') ?? 'error') as Severity;
  if (!FAIL_LEVELS.includes(failOn)) throw new InputError(`--fail-on must be error, warning or information, not ${failOn}`);
  const accepted = flags.has('baseline') ? readBaseline(String(flags.get('baseline'))) : undefined;
  const loaded = load(rest, clusterOptions(flags));
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

export function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n'), err: (s: string) => void = (s) => process.stderr.write(s + '\n')): number {
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
        return runCheck(args, out);
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
