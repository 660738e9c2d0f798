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

/** Prints every subgraph's SDL from code and composes the supergraph; composition errors throw. */
export async function composeSupergraph(definitions: SubgraphDefinition<any, any>[]): Promise<ComposedSchema> {
  const files = new Map<string, string>();
  const services = [];
  for (const definition of definitions) {
    const sdl = printSubgraphSchema(await buildFederatedSchema(definition));
    files.set(`${definition.name}.graphql`, `${sdl}\n`);
    services.push({ name: definition.name, url: defaultSubgraphUrl(definition), typeDefs: parse(sdl) });
  }
  const result = composeServices(services);
  if (result.errors !== undefined) {
    throw new Error(`composition failed:\n  ${result.errors.map((error) => error.message).join('\n  ')}`);
  }
  files.set('supergraph.graphql', `${result.supergraphSdl}\n`);
  const hints = result.hints.map((hint) => ({ code: hint.definition.code, message: hint.message }));
  return { files, hints };
}
