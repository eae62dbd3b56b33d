/** The extension host's entry for the end-to-end suite: mocha over every *.e2e.js file here. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false });
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.e2e.js'))) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve())));
}
