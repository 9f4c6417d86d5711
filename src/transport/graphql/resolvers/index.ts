import { scalars } from '../scalars.ts';
import { Customer } from '../../../features/catalog/resolvers/customer.ts';
import { Order, OrderMutations, OrderQueries } from '../../../features/orders/resolvers.ts';
import { Product } from '../../../features/catalog/resolvers/product.ts';
import { Query, Viewer } from '../../../features/catalog/resolvers/query.ts';
import { PunchOutMutations, PunchOutQueries, refusingPunchOut } from '../../../features/punchout/resolvers.ts';

/** Every resolver of `schema.graphql`; fields not listed resolve by property name. */
export const resolvers = { ...scalars, Query: { ...Query, ...OrderQueries, ...PunchOutQueries }, Mutation: { ...refusingPunchOut(OrderMutations), ...PunchOutMutations }, Viewer, Customer, Product, Order };
