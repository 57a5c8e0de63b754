// npm run audit-verify -- <export.jsonl> --public-key <base64 SPKI DER>
// (the key is the one auditSigningKey returns). Exit code 0 = OK, 1 = tampered or
// unverifiable, 2 = usage error.
import { importPublicKey } from '@packets/crypto';
import { describe, verifyExportFile } from './verify';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const k = args.indexOf('--public-key');
  const key = k >= 0 ? args[k + 1] : undefined;
  const file = args.find((a, i) => !a.startsWith('--') && (k < 0 || i !== k + 1));
  if (!file || !key) {
    console.error('usage: npm run audit-verify -- <export.jsonl> --public-key <base64 SPKI DER>');
    return 2;
  }
  let publicKey;
  try {
    publicKey = importPublicKey(key);
  } catch {
    console.error('--public-key is not a base64 DER (SPKI) Ed25519 public key');
    return 2;
  }
  const result = await verifyExportFile(file, publicKey);
  console.log(describe(result));
  return result.ok ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 2;
});
