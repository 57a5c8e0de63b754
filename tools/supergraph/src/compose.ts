// Composes the four subgraph SDLs (built from their type-graphql classes) into the
// supergraph the gateway loads. The same artefact Apollo Router would consume.
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { identitySchema } from '@packets/identity';
import { complianceSchema } from '@packets/compliance';
import { auditSchema } from '@packets/audit';
import { aiSchema } from '@packets/ai';
import { DEFAULT_PORTS } from '@packets/config';

export const SUBGRAPHS = [
  { name: 'identity', build: identitySchema },
  { name: 'compliance', build: complianceSchema },
  { name: 'audit', build: auditSchema },
  { name: 'ai', build: aiSchema },
] as const;

export interface Composition {
  subgraphs: { name: string; sdl: string }[];
  supergraphSdl: string;
}

export async function compose(): Promise<Composition> {
  const subgraphs: { name: (typeof SUBGRAPHS)[number]['name']; sdl: string }[] = [];
  for (const { name, build } of SUBGRAPHS) subgraphs.push({ name, sdl: (await build()).sdl });
  const result = composeServices(subgraphs.map(({ name, sdl }) => ({
    name, typeDefs: parse(sdl), url: `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`,
  })));
  if (result.errors) {
    throw new Error(`supergraph does not compose:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return { subgraphs, supergraphSdl: `${result.supergraphSdl}\n` };
}
