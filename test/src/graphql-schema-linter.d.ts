// The part of graphql-schema-linter (which ships no types) that schema-lint.test.ts uses.
declare module 'graphql-schema-linter' {
  import type { GraphQLError } from 'graphql';

  interface SchemaInput {
    definition: string;
    sourceMap: null;
  }

  interface ConfigurationIssue {
    message: string;
    field: string;
    type: 'error' | 'warning';
  }

  export namespace configuration {
    class Configuration {
      constructor(schema: SchemaInput, options: { rules: readonly string[] });
      validate(): ConfigurationIssue[];
      getRules(): unknown[];
    }
  }

  export namespace validator {
    function validateSchemaDefinition(
      schema: SchemaInput,
      rules: unknown[],
      configuration: configuration.Configuration,
    ): (GraphQLError & { ruleName: string })[];
  }
}
