/**
 * The settings the server reads, typed, with their defaults. package.json
 * contributes the same keys; a test keeps the two in step.
 */
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
};

const SEVERITIES: readonly string[] = ['error', 'warning', 'information', 'hint', 'off'];
const CNIS: readonly string[] = ['auto', 'calico', 'cilium', 'flannel', 'weave', 'canal', 'other'];

function stringList(value: unknown, fallback: readonly string[]): readonly string[] {
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return fallback;
}

/** Reads the `netlens` section as the client sends it, dropping anything malformed. */
export function readSettings(raw: unknown, filesExclude?: unknown): NetlensSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const severity: Partial<Record<RuleCode, SeveritySetting>> = {};
  if (r['severity'] && typeof r['severity'] === 'object') {
    for (const [code, value] of Object.entries(r['severity'] as Record<string, unknown>)) {
      if (code in RULES && typeof value === 'string' && SEVERITIES.includes(value)) severity[code as RuleCode] = value as SeveritySetting;
    }
  }
  const excludes = [...stringList(r['exclude'], DEFAULT_SETTINGS.exclude)];
  // files.exclude is an object of glob → boolean.
  if (filesExclude && typeof filesExclude === 'object') {
    for (const [glob, on] of Object.entries(filesExclude as Record<string, unknown>)) if (on === true) excludes.push(glob);
  }
  const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : d);
  return {
    defaultNamespace: typeof r['defaultNamespace'] === 'string' && r['defaultNamespace'] !== '' ? r['defaultNamespace'] : DEFAULT_SETTINGS.defaultNamespace,
    podCIDR: stringList(r['podCIDR'], DEFAULT_SETTINGS.podCIDR),
    serviceCIDR: stringList(r['serviceCIDR'], DEFAULT_SETTINGS.serviceCIDR),
    exclude: excludes,
    severity,
    maxFileSize: num(r['maxFileSize'], DEFAULT_SETTINGS.maxFileSize),
    underlayMTU: num(r['underlayMTU'], DEFAULT_SETTINGS.underlayMTU),
    cni: typeof r['cni'] === 'string' && CNIS.includes(r['cni']) ? (r['cni'] as NetlensSettings['cni']) : DEFAULT_SETTINGS.cni,
    settleDelay: typeof r['settleDelay'] === 'number' && Number.isFinite(r['settleDelay']) && r['settleDelay'] >= 0 ? r['settleDelay'] : DEFAULT_SETTINGS.settleDelay,
  };
}
