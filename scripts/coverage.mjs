// Line coverage of the TypeScript sources from the V8 coverage files that NODE_V8_COVERAGE makes every node process
// of a test run write (test files, the server and CLI they spawn, code-server's extension host), mapped back through
// the source maps tsc and esbuild emit. A line counts as run when some code mapped to it ran in some process; the
// lines that count at all are those tsc emits code for (out/**/*.js.map), so a file no test loads shows as 0%.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directories reported, longest prefix first: a source belongs to the first whose prefix it starts with. */
const AREAS = [
  ['engine', 'server/src/engine/'],
  ['cli', 'server/src/cli/'],
  ['server', 'server/src/'],
  ['webview', 'webview/src/'],
  ['client', 'client/src/'],
];

const areaOf = (file) => AREAS.find(([, prefix]) => file.startsWith(prefix))?.[0];

const BASE64 = new Map([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]));

/** The source map's segments as [generated line, generated column, source index, original line], in order. */
function* segments(mappings) {
  let source = 0;
  let originalLine = 0;
  let originalColumn = 0;
  let lineNo = 0;
  for (const line of mappings.split(';')) {
    let column = 0;
    for (const segment of line.split(',')) {
      if (segment === '') continue;
      const fields = [];
      let value = 0;
      let shift = 0;
      for (const c of segment) {
        const digit = BASE64.get(c);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0];
      if (fields.length < 4) continue;
      source += fields[1];
      originalLine += fields[2];
      originalColumn += fields[3];
      yield [lineNo, column, source, originalLine];
    }
    lineNo++;
  }
}

function lineStarts(text) {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * For one generated script: the offsets of its mapped positions in our sources, ascending, and for each the
 * source line it maps to ("server/src/engine/cidr.ts:12"). Only our sources; bundled libraries are left out.
 */
function probesOf(root, scriptPath, text, map) {
  const sources = map.sources.map((s) => {
    // Node's source-map cache has made the sources absolute file URLs; maps on disk hold relative paths.
    const absolute = s.startsWith('file:') ? fileURLToPath(s) : resolve(dirname(scriptPath), map.sourceRoot ?? '', s);
    const file = relative(root, absolute).split('\\').join('/');
    return !file.includes('node_modules') && areaOf(file) !== undefined ? file : undefined;
  });
  const starts = lineStarts(text);
  const offsets = [];
  const lines = [];
  for (const [genLine, genColumn, source, originalLine] of segments(map.mappings)) {
    if (sources[source] === undefined || starts[genLine] === undefined) continue;
    offsets.push(starts[genLine] + genColumn);
    lines.push(`${sources[source]}:${originalLine}`);
  }
  return { offsets, lines };
}

/** The execution count at each probe offset: that of the innermost V8 range holding it (0 outside every range). */
function countsAt(functions, offsets) {
  const ranges = functions.flatMap((f) => f.ranges).sort((a, b) => a.startOffset - b.startOffset || b.endOffset - a.endOffset);
  const counts = new Array(offsets.length);
  const stack = [];
  let next = 0;
  // Probes ascend within a generated file (segments come in line order), so one sweep serves them all.
  for (let i = 0; i < offsets.length; i++) {
    const at = offsets[i];
    while (next < ranges.length && ranges[next].startOffset <= at) {
      const r = ranges[next++];
      while (stack.length > 0 && stack.at(-1).endOffset <= r.startOffset) stack.pop();
      stack.push(r);
    }
    while (stack.length > 0 && stack.at(-1).endOffset <= at) stack.pop();
    counts[i] = stack.length === 0 ? 0 : stack.at(-1).count;
  }
  return counts;
}

/** Source lines tsc emits code for: the denominator, whether a test loads the file or not. */
function emittedLines(root) {
  const emitted = new Set();
  const walk = (dir) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, d.name);
      if (d.isDirectory()) walk(full);
      else if (d.name.endsWith('.js.map')) {
        const map = JSON.parse(readFileSync(full, 'utf8'));
        const script = full.slice(0, -'.map'.length);
        const { lines } = probesOf(root, script, existsSync(script) ? readFileSync(script, 'utf8') : '', map);
        for (const l of lines) emitted.add(l);
      }
    }
  };
  for (const top of ['server', 'client', 'webview']) if (existsSync(join(root, 'out', top))) walk(join(root, 'out', top));
  return emitted;
}

/**
 * One process's counts. Node appends a copy of every source map it loaded ("source-map-cache", megabytes per server
 * process); the maps are read once from disk instead, so that part is cut off unparsed when it comes last, as Node
 * writes it.
 */
function readReport(file) {
  const text = readFileSync(file, 'utf8');
  const cut = text.lastIndexOf(',"source-map-cache":');
  try {
    return JSON.parse(cut === -1 ? text : `${text.slice(0, cut)}}`);
  } catch {
    try {
      return JSON.parse(text);
    } catch {
      return undefined; // a process killed while writing its file
    }
  }
}

/**
 * Per area: lines run and lines that count; per file, the 1-based lines run and missed. Reads every .json
 * coverage file under `dir`.
 */
export function summarizeCoverage(dir, root) {
  const run = new Set();
  const probeCache = new Map();
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    const report = readReport(join(dir, name));
    for (const script of report?.result ?? []) {
      if (!script.url.startsWith('file:')) continue;
      const scriptPath = fileURLToPath(script.url);
      if (relative(root, scriptPath).startsWith('..') || scriptPath.includes('node_modules')) continue;
      let probes = probeCache.get(scriptPath);
      if (probes === undefined) {
        const map = existsSync(`${scriptPath}.map`) ? JSON.parse(readFileSync(`${scriptPath}.map`, 'utf8')) : undefined;
        probes = map === undefined || !existsSync(scriptPath) ? null : probesOf(root, scriptPath, readFileSync(scriptPath, 'utf8'), map);
        probeCache.set(scriptPath, probes);
      }
      if (probes === null) continue;
      const counts = countsAt(script.functions, probes.offsets);
      counts.forEach((n, i) => {
        if (n > 0) run.add(probes.lines[i]);
      });
    }
  }
  const totals = new Map(AREAS.map(([area]) => [area, { run: 0, lines: 0 }]));
  const files = new Map();
  for (const line of emittedLines(root)) {
    const file = line.slice(0, line.lastIndexOf(':'));
    if (!files.has(file)) files.set(file, { run: [], missed: [] });
    const t = totals.get(areaOf(line));
    t.lines++;
    if (run.has(line)) t.run++;
    (run.has(line) ? files.get(file).run : files.get(file).missed).push(Number(line.slice(file.length + 1)) + 1);
  }
  return { areas: [...totals].map(([area, t]) => ({ area, ...t })), files };
}

/** "engine 97.1% (5123 of 5276 lines)". */
export function formatCoverage(areas) {
  return areas.map((s) => `${s.area} ${s.lines === 0 ? '-' : `${((100 * s.run) / s.lines).toFixed(1)}%`} (${s.run} of ${s.lines} lines)`);
}
