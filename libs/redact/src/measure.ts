// Throughput and hostile-input timing of redact(), printed, not asserted:
//   node -r ./tools/dev/register.cjs libs/redact/src/measure.ts
import { buildCorpus } from './corpus';
import { redact } from './redact';

const MB = 1_000_000;

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function fill(unit: string, size = MB): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

// ordinary text: prose with the corpus' sentences (values and near misses) mixed in
const prose = 'The access review for the quarter covered every production system; owners confirmed each grant and removed two stale accounts. ';
const corpus = Object.values(buildCorpus()).flatMap((k) => [...k.positives, ...k.negatives].map((c) => c.text));
let normal = '';
for (let i = 0; normal.length < MB; i++) normal += `${prose.repeat(6)}${corpus[i % corpus.length]}\n`;
normal = normal.slice(0, MB);

// best and median of several runs: on a shared machine the slowest runs measure the neighbours
const runs = (fn: () => void, n: number): { best: number; median: number } => {
  const t = Array.from({ length: n }, () => time(fn)).sort((a, b) => a - b);
  return { best: t[0]!, median: t[Math.floor(n / 2)]! };
};
redact(normal); // warm up
let found = 0;
const n = runs(() => (found = redact(normal).findings.length), 7);
const mbps = (ms: number) => (MB / 1e6 / (ms / 1000)).toFixed(1);
console.log(`normal text: 1.0 MB, ${found} findings: best ${n.best.toFixed(0)} ms (${mbps(n.best)} MB/s), median ${n.median.toFixed(0)} ms (${mbps(n.median)} MB/s)`);

const hostile: Record<string, string> = {
  'one letter': fill('a'),
  'digits': fill('1'),
  'digit space': fill('1 '),
  'digit hyphen': fill('9-'),
  'four-digit groups': fill('4111 '),
  'plus digits': fill('+1234567 '),
  'at signs': fill('@'),
  'local@': fill('a@'),
  'long local@': fill(`${'a'.repeat(300)}@`),
  'domain dots': fill('a@b.'),
  'BEGIN markers': fill('-----BEGIN PRIVATE KEY-----'),
  'BEGIN + base64': fill('-----BEGIN PRIVATE KEY-----\nAAAA'),
  'eyJ dots': fill('eyJ.'),
  'eyJ long parts': fill(`eyJ${'a'.repeat(5000)}.`),
  'password=': fill('password='),
  'password: ': fill('password: '),
  'key pairs': fill('a=b '),
  'upper alnum': fill('ABCDE1234F'),
  'IBAN-like': fill('DE89 '),
  'AKIA': fill('AKIA'),
  'url creds': fill('://a:b'),
  // dense real-looking values: as many findings as the input can hold
  'dense phones': fill('+91 98765 43210 '),
  'dense mobiles': fill('9876543210 '),
  'dense e-mails': fill('a.b@example.com '),
  'dense cards': fill('4111 1111 1111 1111 '),
  'dense JWT headers': fill('eyJhbGciOiJub25lIn0.eyJ9. '),
};
for (const [name, text] of Object.entries(hostile)) {
  let count = 0;
  const t = runs(() => (count = redact(text).findings.length), 3);
  console.log(`hostile ${name.padEnd(18)} ${(text.length / 1e6).toFixed(1)} MB: best ${t.best.toFixed(0)} ms, median ${t.median.toFixed(0)} ms (${count} findings)`);
}
