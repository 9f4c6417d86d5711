/**
 * Custom scalars. Values are formatted once, when an ERP answer enters erpfront (ISO strings,
 * decimal strings), so serializing is a type check, not a conversion.
 *
 * @module
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function stringScalar(name: string, description: string, pattern: RegExp, example: string): GraphQLScalarType<string, string> {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !pattern.test(value)) {
      throw new GraphQLError(`${name} must be a string like ${JSON.stringify(example)}, got ${JSON.stringify(value)}.`, {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return value;
  };
  return new GraphQLScalarType<string, string>({
    name,
    description,
    serialize: check,
    parseValue: check,
    parseLiteral: (ast: ValueNode) => check(ast.kind === Kind.STRING ? ast.value : undefined),
  });
}

export const scalars = {
  Decimal: stringScalar('Decimal', 'A decimal number as a string.', DECIMAL, '12.50'),
  Date: stringScalar('Date', 'A calendar date, ISO 8601.', DATE, '2026-11-30'),
  DateTime: stringScalar('DateTime', 'A UTC instant, ISO 8601.', DATE_TIME, '2026-11-23T09:30:00.000Z'),
};
