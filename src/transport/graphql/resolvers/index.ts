import { scalars } from '../scalars.ts';
import { Customer } from './customer.ts';
import { Order, OrderMutations, OrderQueries } from './orders.ts';
import { Product } from './product.ts';
import { Query, Viewer } from './query.ts';
import { PunchOutMutations, PunchOutQueries } from '../../punchout/graphql-resolvers.ts';

/** Every resolver of `schema.graphql`; fields not listed resolve by property name. */
export const resolvers = { ...scalars, Query: { ...Query, ...OrderQueries, ...PunchOutQueries }, Mutation: { ...OrderMutations, ...PunchOutMutations }, Viewer, Customer, Product, Order };
