// Dependency audit: runs `npm audit --omit=dev --json` (the packages that ship, not the
// dev tools) and fails on any high or critical advisory not listed in
// .ci/audit-exceptions.json. Each exception names an advisory (its URL, GHSA id or
// npm source id) or a package, a reason and an expiry date; an expired or malformed
// exception fails, so every exception is looked at again.
// An audit that did not run (registry unreachable, endpoint refused) fails too, unless
// the file holds an unexpired "audit-unavailable" exception, which is printed loudly.
// AUDIT_JSON=<file> reads a saved `npm audit --json` output instead (to test this script).
'use strict';
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const BLOCKING = new Set(['high', 'critical']);
const today = new Date().toISOString().slice(0, 10);
const fail = (msg) => { console.log(`!! npm audit: ${msg}`); process.exitCode = 1; };

const file = join(__dirname, 'audit-exceptions.json');
const { exceptions = [] } = JSON.parse(readFileSync(file, 'utf8'));
const live = [];
for (const e of exceptions) {
  const what = e.advisory ?? e.package;
  if (!what || typeof e.reason !== 'string' || e.reason.trim().length < 10 || !/^\d{4}-\d{2}-\d{2}$/.test(e.expires ?? '')) {
    fail(`malformed exception ${JSON.stringify(e)} (needs advisory or package, a reason, expires YYYY-MM-DD)`);
  } else if (e.expires < today) {
    fail(`exception for ${what} expired on ${e.expires}: fix it or renew it with a reason (${e.reason})`);
  } else {
    live.push(e);
  }
}

let out;
if (process.env.AUDIT_JSON) {
  out = readFileSync(process.env.AUDIT_JSON, 'utf8');
} else {
  try {
    out = execFileSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  } catch (err) {
    out = err.stdout ?? ''; // npm audit exits non-zero when it finds anything: the JSON says what
  }
}
let report;
try { report = JSON.parse(out); } catch { report = null; }

if (!report || !report.vulnerabilities || !report.metadata) {
  const why = report?.message ?? report?.error?.summary ?? (out.trim().slice(0, 300) || 'no output');
  const waiver = live.find((e) => e.advisory === 'audit-unavailable');
  if (waiver) {
    console.log(`!! npm audit DID NOT RUN: ${why}`);
    console.log(`!! passing only because of the "audit-unavailable" exception until ${waiver.expires}: ${waiver.reason}`);
  } else {
    fail(`the audit did not run (${why}): CI cannot tell whether the dependencies are safe`);
  }
  process.exit(process.exitCode ?? 0);
}

// every advisory object of a blocking severity, with the packages it reaches
const found = new Map();
for (const [name, v] of Object.entries(report.vulnerabilities)) {
  for (const via of v.via ?? []) {
    if (typeof via !== 'object' || !BLOCKING.has(via.severity)) continue;
    const key = via.url ?? String(via.source);
    const entry = found.get(key) ?? { ...via, packages: new Set() };
    entry.packages.add(name);
    found.set(key, entry);
  }
}
const used = new Set();
const covers = (e, a) => {
  if (e.advisory) return e.advisory === a.url || e.advisory === String(a.source) || (a.url ?? '').endsWith(`/${e.advisory}`);
  return e.package === a.name || a.packages.has(e.package);
};
let blocking = 0;
for (const a of found.values()) {
  const e = live.find((x) => x.advisory !== 'audit-unavailable' && covers(x, a));
  if (e) { used.add(e); console.log(`   excepted until ${e.expires}: ${a.severity} ${a.name} ${a.url} (${e.reason})`); continue; }
  blocking += 1;
  fail(`${a.severity} ${a.name} ${a.range ?? ''}: ${a.title} ${a.url} (reaches ${[...a.packages].join(', ')})`);
}
for (const e of live) if (e.advisory !== 'audit-unavailable' && !used.has(e)) console.log(`   note: exception for ${e.advisory ?? e.package} matches nothing any more: remove it`);
const counts = report.metadata.vulnerabilities ?? {};
console.log(`npm audit (production dependencies): ${Object.entries(counts).filter(([k]) => k !== 'total').map(([k, n]) => `${n} ${k}`).join(', ')}; ${found.size} high or critical advisories, ${blocking} not excepted`);
