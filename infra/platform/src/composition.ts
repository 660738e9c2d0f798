import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { buildFederatedSchema, type SubgraphDefinition } from './subgraph';

export interface CompositionHint {
  code: string;
  message: string;
}

export interface ComposedSchema {
  /** File name under schema/ → content: one SDL per subgraph and the supergraph. */
  files: Map<string, string>;
  hints: CompositionHint[];
}

/** The URL each subgraph has in the committed supergraph; deployments override it (`<NAME>_URL`). */
export function defaultSubgraphUrl(definition: SubgraphDefinition<unknown, unknown>): string {
  return `http://localhost:${definition.defaultPort}/graphql`;
}

/** A schema composed like a subgraph but written as SDL (the gateway's events-only schema, never served). */
export interface SdlSubgraph {
  name: string;
  url: string;
  sdl: string;
}

/** Prints every subgraph's SDL from code and composes the supergraph (with any SDL-only parts); composition errors throw. */
export async function composeSupergraph(
  definitions: SubgraphDefinition<any, any>[],
  sdlSubgraphs: readonly SdlSubgraph[] = [],
): Promise<ComposedSchema> {
  const files = new Map<string, string>();
  const services = [];
  for (const definition of definitions) {
    const sdl = printSubgraphSchema(await buildFederatedSchema(definition));
    files.set(`${definition.name}.graphql`, `${sdl}\n`);
    services.push({ name: definition.name, url: defaultSubgraphUrl(definition), typeDefs: parse(sdl) });
  }
  for (const part of sdlSubgraphs) {
    files.set(`${part.name}.graphql`, part.sdl.endsWith('\n') ? part.sdl : `${part.sdl}\n`);
    services.push({ name: part.name, url: part.url, typeDefs: parse(part.sdl) });
  }
  const result = composeServices(services);
  if (result.errors !== undefined) {
    throw new Error(`composition failed:\n  ${result.errors.map((error) => error.message).join('\n  ')}`);
  }
  files.set('supergraph.graphql', `${result.supergraphSdl}\n`);
  const hints = result.hints.map((hint) => ({ code: hint.definition.code, message: hint.message }));
  return { files, hints };
}
