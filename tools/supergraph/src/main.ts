// npm run supergraph        -> writes apps/*/schema.graphql and apps/gateway/supergraph.graphql
// npm run supergraph:check  -> fails when any checked-in file is stale or composition fails
import 'reflect-metadata';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { compose } from './compose';

const root = join(__dirname, '../../..');
export const SUPERGRAPH_FILE = join(root, 'apps/gateway/supergraph.graphql');

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const { subgraphs, supergraphSdl } = await compose();
  const files = [
    ...subgraphs.map(({ name, sdl }) => ({ path: join(root, 'apps', name, 'schema.graphql'), text: sdl })),
    { path: SUPERGRAPH_FILE, text: supergraphSdl },
  ];
  const stale = files.filter((f) => !existsSync(f.path) || readFileSync(f.path, 'utf8') !== f.text);
  if (check) {
    if (stale.length > 0) {
      console.error(`supergraph check: stale ${stale.map((f) => f.path.slice(root.length + 1)).join(', ')}; run npm run supergraph`);
      process.exit(1);
    }
    console.log('supergraph check: composes, and the checked-in SDLs are current');
    return;
  }
  for (const f of stale) writeFileSync(f.path, f.text);
  console.log(stale.length ? `wrote ${stale.map((f) => f.path.slice(root.length + 1)).join(', ')}` : 'supergraph already current');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
