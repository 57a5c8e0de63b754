// Reads a vitest JSON report (--reporter=json) and prints one line:
//   "<label>: P passed, F failed, S skipped, L files failed to load"
// then the failed and skipped tests and the files that did not load. Exits 1 when
// anything failed, did not load, or was skipped (CI runs every test: a skip hides a
// contract that did not run, such as the Redis one), or when the report is missing.
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const { basename, join, relative } = require('node:path');

const [file, label, mode = 'strict'] = process.argv.slice(2);
if (!file || !existsSync(file)) {
  console.log(`${label}: no report at ${file} (the run did not finish)`);
  process.exit(1);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const rel = (p) => relative(process.cwd(), p);
const failed = [];
const skipped = [];
const unloaded = [];
for (const suite of r.testResults ?? []) {
  const tests = suite.assertionResults ?? [];
  // a file that throws while loading (or in a beforeAll) is failed with no failed test
  if (suite.status === 'failed' && !tests.some((t) => t.status === 'failed')) unloaded.push(`${rel(suite.name)}: ${String(suite.message || 'an error outside its tests (a hook)').split('\n')[0]}`);
  for (const t of tests) {
    const name = `${rel(suite.name)} > ${[...(t.ancestorTitles ?? []), t.title].join(' > ')}`;
    if (t.status === 'failed') failed.push(name);
    else if (t.status === 'skipped' || t.status === 'pending' || t.status === 'todo') skipped.push(name);
  }
}
const passed = r.numPassedTests ?? 0;
console.log(`${label}: ${passed} passed, ${failed.length} failed, ${skipped.length} skipped, ${unloaded.length} files failed to load or in a hook`);
for (const f of failed) console.log(`  failed: ${f}`);
for (const s of skipped) console.log(`  skipped: ${s}`);
for (const u of unloaded) console.log(`  file failed (import or hook): ${u}`);
// for the caller's totals
if (process.env.CI_TALLY) require('node:fs').appendFileSync(process.env.CI_TALLY, `${passed} ${failed.length} ${skipped.length} ${unloaded.length}\n`);
if (mode === 'expect-failures') {
  // the known-failing specs, one project after another: each crashes-* file did not load,
  // each other file has exactly one failed test, nothing passed, and no file is missing
  // from the report (a project that silently ran nothing would otherwise pass this check)
  const dir = process.argv[5] ?? '.ci/known-failing';
  const specs = require('node:fs').readdirSync(dir).filter((f) => f.endsWith('.spec.ts')).map((f) => join(dir, f)).sort();
  const reported = (r.testResults ?? []).map((s) => rel(s.name)).sort();
  const problems = [];
  if (reported.join() !== specs.join()) problems.push(`the report has [${reported.join(', ')}], expected [${specs.join(', ')}]`);
  for (const spec of specs) {
    const crashes = basename(spec).startsWith('crashes');
    const failedHere = failed.filter((f) => f.startsWith(`${spec} > `)).length;
    const unloadedHere = unloaded.some((u) => u.startsWith(`${spec}: `));
    if (crashes ? !unloadedHere || failedHere !== 0 : unloadedHere || failedHere !== 1) problems.push(`${spec}: expected ${crashes ? 'a file that did not load' : 'one failed test'}`);
  }
  if (passed !== 0 || skipped.length !== 0) problems.push(`expected nothing passed or skipped`);
  for (const p of problems) console.log(`  ${p}`);
  process.exit(problems.length === 0 ? 0 : 1);
}
process.exit(failed.length + skipped.length + unloaded.length > 0 || passed === 0 ? 1 : 0);
