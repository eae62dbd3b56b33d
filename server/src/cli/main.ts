/**
 * `netlens`: the engine from the command line.
 *   netlens matrix [--port N] [--protocol TCP|UDP|SCTP] [--json] FILES...
 *   netlens check [--format text|json] [CLUSTER OPTIONS] FILES_OR_DIRS...
 */
import { analyze, LineIndex, parseManifestFile, standsForOnePod, type Analysis, type AnalyzeOptions, type Finding, type Protocol } from '../engine/index.js';
import { collectFiles, InputError, readText } from './files.js';
import { formatFindingsJson, formatFindingsText } from './formatFindings.js';
import { formatMatrixTable } from './formatMatrix.js';

const MATRIX_USAGE = `usage: netlens matrix [--port N] [--protocol TCP|UDP|SCTP] [--json] FILES_OR_DIRS...

Prints who can reach whom: one row (source) and one column (destination) per
Pod or workload. Without --port a cell is allowed when some port the
destination declares is allowed. --json prints {"pods": [...], "allowed": [[...]]}.`;

const CHECK_USAGE = `usage: netlens check [--format text|json] [--cni NAME] [--underlay-mtu N]
                     [--pod-cidr CIDR,...] [--service-cidr CIDR,...] FILES_OR_DIRS...

Prints every finding as file:line:column: severity code: message. Exits 1 when
a finding is an error, 2 on bad usage or unreadable input, 0 otherwise.
Cluster options apply where no config file in FILES_OR_DIRS tells: --cni is
auto (default), calico, cilium, flannel, weave, canal or other; --underlay-mtu
defaults to 1500; the CIDRs default to 10.244.0.0/16 and 10.96.0.0/12.`;

const USAGE = `usage:
  netlens matrix [--port N] [--protocol TCP|UDP|SCTP] [--json] FILES_OR_DIRS...
  netlens check [--format text|json] [CLUSTER OPTIONS] FILES_OR_DIRS...
  netlens COMMAND --help    usage of one command

Directories are searched recursively for .yaml, .yml, .json, .conflist and .conf files.`;

const COMMAND_USAGE: Readonly<Record<string, string>> = { matrix: MATRIX_USAGE, check: CHECK_USAGE };

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
  readonly lineIndex: (file: string) => LineIndex;
}

function load(paths: readonly string[], options: AnalyzeOptions = {}): Loaded {
  if (paths.length === 0) throw new InputError('no files given');
  const texts = new Map<string, string>();
  for (const file of collectFiles(paths)) texts.set(file, readText(file));
  const analysis = analyze(
    [...texts].map(([file, text]) => parseManifestFile(file, text)),
    options,
  );
  const indexes = new Map<string, LineIndex>();
  const lineIndex = (file: string) => {
    let idx = indexes.get(file);
    if (idx === undefined) indexes.set(file, (idx = new LineIndex(texts.get(file) ?? '')));
    return idx;
  };
  return { analysis, lineIndex };
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
  else out(formatMatrixTable(pods, allowed, groups.map(standsForOnePod), port === undefined ? `any declared port${protocol ? ` (${protocol})` : ''}` : `${port}/${protocol ?? 'TCP'}`));
  return 0;
}

function runCheck(args: string[], out: (s: string) => void): number {
  const { flags, rest } = parseFlags(args, ['format', ...CLUSTER_FLAGS], []);
  const format = flags.get('format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new InputError(`--format must be text or json, not ${String(format)}`);
  const { analysis, lineIndex } = load(rest, clusterOptions(flags));
  const findings = sortFindings(analysis.findings);
  out(format === 'json' ? formatFindingsJson(findings, lineIndex) : formatFindingsText(findings, lineIndex));
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
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
