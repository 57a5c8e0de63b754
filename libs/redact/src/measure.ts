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

redact(normal); // warm up
const runs = 5;
let ms = 0;
let found = 0;
for (let i = 0; i < runs; i++) ms += time(() => (found = redact(normal).findings.length));
console.log(`normal text: ${(MB / 1e6).toFixed(1)} MB, ${found} findings, ${(ms / runs).toFixed(0)} ms per run, ${((MB / 1e6) / (ms / runs / 1000)).toFixed(1)} MB/s`);

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
  let n = 0;
  const t = time(() => (n = redact(text).findings.length));
  console.log(`hostile ${name.padEnd(18)} ${(text.length / 1e6).toFixed(1)} MB: ${t.toFixed(0)} ms (${n} findings)`);
}
