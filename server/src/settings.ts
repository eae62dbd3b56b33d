/**
 * The settings the server reads, typed, with their defaults. package.json
 * contributes the same keys; a test keeps the two in step.
 */
import { parsePrefix } from './engine/cidr.js';
import { RULES, type RuleCode, type Severity } from './engine/index.js';

export type SeveritySetting = Severity | 'off';

export interface NetlensSettings {
  /** Namespace of objects that name none. */
  readonly defaultNamespace: string;
  /** Pod network ranges, until cluster config files say otherwise. */
  readonly podCIDR: readonly string[];
  /** Service ClusterIP ranges. */
  readonly serviceCIDR: readonly string[];
  /** Globs of workspace files not to index (on top of files.exclude). */
  readonly exclude: readonly string[];
  /** Per rule code: a severity, or "off". */
  readonly severity: Readonly<Partial<Record<RuleCode, SeveritySetting>>>;
  /** Files larger than this (bytes) are not indexed unless opened. */
  readonly maxFileSize: number;
  /** Underlay MTU assumed for overlay checks. */
  readonly underlayMTU: number;
  /** The CNI plugin when no config file tells. */
  readonly cni: 'auto' | 'calico' | 'cilium' | 'flannel' | 'weave' | 'canal' | 'other';
  /** Milliseconds a document must be still before findings on the word being typed show; 0 shows them at once. */
  readonly settleDelay: number;
  /** What renders kustomize roots: `kubectl` (as `kubectl kustomize`), `kustomize` (`kustomize build`), a path to either, or `none`. */
  readonly kustomizeBinary: string;
  /** What renders Helm charts (`helm template`): `helm`, a path, or `none`. */
  readonly helmBinary: string;
  /** Values files for every chart, relative to the chart's folder, on top of its values.yaml. */
  readonly helmValueFiles: readonly string[];
}

export const DEFAULT_SETTINGS: NetlensSettings = {
  defaultNamespace: 'default',
  podCIDR: ['10.244.0.0/16'],
  serviceCIDR: ['10.96.0.0/12'],
  exclude: ['**/node_modules/**', '**/.git/**'],
  severity: {},
  maxFileSize: 5_000_000,
  underlayMTU: 1500,
  cni: 'auto',
  settleDelay: 500,
  kustomizeBinary: 'kubectl',
  helmBinary: 'helm',
  helmValueFiles: [],
};

const SEVERITIES: readonly string[] = ['error', 'warning', 'information', 'hint', 'off'];
const CNIS: readonly string[] = ['auto', 'calico', 'cilium', 'flannel', 'weave', 'canal', 'other'];

/** Settings as read, with a sentence per value that was not usable (a workspace can ship any settings file). */
export interface SettingsReport {
  readonly settings: NetlensSettings;
  /** Each names the setting, the bad value and what is used instead. */
  readonly problems: readonly string[];
}

/** Reads the `netlens` section as the client sends it; what is malformed falls back to its default. */
export function readSettings(raw: unknown, filesExclude?: unknown): NetlensSettings {
  return readSettingsReport(raw, filesExclude).settings;
}

export function readSettingsReport(raw: unknown, filesExclude?: unknown): SettingsReport {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const problems: string[] = [];
  const bad = (key: string, value: unknown, why: string, instead: string) => problems.push(`netlens.${key}: ${shown(value)} ${why}; ${instead}.`);

  const stringList = (key: 'podCIDR' | 'serviceCIDR' | 'exclude' | 'helmValueFiles'): readonly string[] => {
    const value = r[key];
    const fallback = DEFAULT_SETTINGS[key];
    if (value === undefined) return fallback;
    const items = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : Array.isArray(value) ? value : undefined;
    if (items === undefined) {
      bad(key, value, 'is not a list of strings', `using ${fallback.join(', ')}`);
      return fallback;
    }
    const kept = items.filter((v): v is string => {
      if (typeof v !== 'string') bad(key, v, 'is not a string', 'ignored');
      return typeof v === 'string';
    });
    return kept;
  };

  const cidrList = (key: 'podCIDR' | 'serviceCIDR'): readonly string[] => {
    const listed = stringList(key);
    const valid = listed.filter((cidr) => {
      const parsed = parsePrefix(cidr.trim());
      if (!parsed.ok) problems.push(`netlens.${key}: ${parsed.error}; ignored.`);
      return parsed.ok;
    });
    if (valid.length === 0 && listed.length > 0) {
      problems.push(`netlens.${key}: no valid range is left; using ${DEFAULT_SETTINGS[key].join(', ')}.`);
      return DEFAULT_SETTINGS[key];
    }
    return valid;
  };

  const severity: Partial<Record<RuleCode, SeveritySetting>> = {};
  const severities = r['severity'];
  if (severities && typeof severities === 'object' && !Array.isArray(severities)) {
    for (const [code, value] of Object.entries(severities as Record<string, unknown>)) {
      if (!(code in RULES)) bad('severity', code, 'is not a Netlens rule code', 'ignored');
      else if (typeof value !== 'string' || !SEVERITIES.includes(value)) bad(`severity.${code}`, value, `is not one of ${SEVERITIES.join(', ')}`, 'ignored');
      else severity[code as RuleCode] = value as SeveritySetting;
    }
  } else if (severities !== undefined) bad('severity', severities, 'is not an object of rule code to severity', 'ignored');

  const excludes = [...stringList('exclude')];
  // files.exclude is an object of glob → boolean.
  if (filesExclude && typeof filesExclude === 'object') {
    for (const [glob, on] of Object.entries(filesExclude as Record<string, unknown>)) if (on === true) excludes.push(glob);
  }

  const positive = (key: 'maxFileSize' | 'underlayMTU'): number => {
    const v = r[key];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
    if (v !== undefined) bad(key, v, 'is not a positive number', `using ${DEFAULT_SETTINGS[key]}`);
    return DEFAULT_SETTINGS[key];
  };

  const namespace = r['defaultNamespace'];
  if (namespace !== undefined && (typeof namespace !== 'string' || namespace === '')) bad('defaultNamespace', namespace, 'is not a namespace name', `using ${DEFAULT_SETTINGS.defaultNamespace}`);
  const cni = r['cni'];
  if (cni !== undefined && (typeof cni !== 'string' || !CNIS.includes(cni))) bad('cni', cni, `is not one of ${CNIS.join(', ')}`, `using ${DEFAULT_SETTINGS.cni}`);
  const settle = r['settleDelay'];
  const settleOk = typeof settle === 'number' && Number.isFinite(settle) && settle >= 0;
  if (settle !== undefined && !settleOk) bad('settleDelay', settle, 'is not a number of milliseconds', `using ${DEFAULT_SETTINGS.settleDelay}`);
  const program = (key: 'kustomizeBinary' | 'helmBinary'): string => {
    const v = r[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    if (v !== undefined) bad(key, v, 'is not a program name or path', `using ${DEFAULT_SETTINGS[key]}`);
    return DEFAULT_SETTINGS[key];
  };

  const settings: NetlensSettings = {
    defaultNamespace: typeof namespace === 'string' && namespace !== '' ? namespace : DEFAULT_SETTINGS.defaultNamespace,
    podCIDR: cidrList('podCIDR'),
    serviceCIDR: cidrList('serviceCIDR'),
    exclude: excludes,
    severity,
    maxFileSize: positive('maxFileSize'),
    underlayMTU: positive('underlayMTU'),
    cni: typeof cni === 'string' && CNIS.includes(cni) ? (cni as NetlensSettings['cni']) : DEFAULT_SETTINGS.cni,
    settleDelay: settleOk ? settle : DEFAULT_SETTINGS.settleDelay,
    kustomizeBinary: program('kustomizeBinary'),
    helmBinary: program('helmBinary'),
    helmValueFiles: stringList('helmValueFiles'),
  };
  return { settings, problems };
}

/** A value as it would appear in settings.json, cut short: the text is the workspace's, shown in a notification. */
function shown(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
