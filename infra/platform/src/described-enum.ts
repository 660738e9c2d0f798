import { registerEnumType } from 'type-graphql';

/** What a client reads of each value of an enum, by value. */
export type ValueDescriptions<Value extends string> = { readonly [Key in Value]: string };

/**
 * Registers a GraphQL enum from one table of its values and their descriptions, and returns its
 * `{ VALUE: 'VALUE' }` object for `@Field(() => …)`. The values are the table's keys, so naming the
 * domain's union as `Value` makes the compiler check that the table lists exactly the domain's values
 * (a missing one is an error, an extra one too), in the order the schema shows them.
 */
export function registerDescribedEnum<Value extends string>(
  name: string,
  description: string,
  valueDescriptions: ValueDescriptions<Value>,
): { readonly [Key in Value]: Key } {
  const values = Object.keys(valueDescriptions) as Value[];
  const enumObject = Object.fromEntries(values.map((value) => [value, value])) as { [Key in Value]: Key };
  const valuesConfig = Object.fromEntries(values.map((value) => [value, { description: valueDescriptions[value] }]));
  registerEnumType(enumObject, {
    name,
    description,
    valuesConfig: valuesConfig as Record<Value, { description: string }>,
  });
  return enumObject;
}
