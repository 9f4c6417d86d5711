/**
 * The catalog and pricing feature's part of the public schema: products, prices, availability,
 * the viewer and the customer account.
 *
 * @module
 */

export const catalogTypeDefs = /* GraphQL */ `
extend type Query {
  """
  Products by SKU, in the order asked. An unknown SKU is \`null\` at its position with a
  \`PRODUCT_NOT_FOUND\` error. At most the configured maximum of SKUs (default 250) per call:
  more fail with \`TOO_MANY_SKUS\`.
  """
  products(skus: [ID!]!): [Product]
  "One product by SKU; \`null\` with \`PRODUCT_NOT_FOUND\` when the ERP has no such SKU."
  product(sku: ID!): Product
  "Searches the catalog by text and category, Relay-style pages (\`first\` at most 100)."
  searchProducts(query: String, category: String, first: Int = 20, after: String): ProductConnection!
  "Who is asking, and for which customer."
  viewer: Viewer!
}

type Viewer {
  "The token's subject."
  subject: ID!
  roles: [Role!]!
  """
  The customer this request acts for: a buyer's own company; for a sales rep, the customer named
  in the \`X-Customer-Id\` header (one of the rep's assigned customers); \`null\` when none is named.
  """
  customer: Customer
  "For a sales rep: the customers assigned to them."
  assignedCustomers: [Customer!]
}

enum Role {
  BUYER
  REP
  OPS
  "A procurement system's user in a PunchOut session (a session access token from POST /punchout/session)."
  PUNCHOUT
}

"A company account: the buyer's customer in the ERP."
type Customer {
  id: ID!
  name: String!
  "The currency the customer is invoiced and priced in (ISO 4217)."
  currency: String!
  priceListId: ID
  paymentTerms: PaymentTerms!
  poRequired: Boolean!
  shipTos: [Address!]!
  creditStatus: CreditStatus!
}

type PaymentTerms {
  code: String!
  description: String!
  netDays: Int!
}

type Address {
  id: ID!
  name: String!
  line1: String!
  line2: String
  city: String!
  region: String
  postalCode: String!
  "ISO 3166-1 alpha-2."
  country: String!
  isDefault: Boolean!
}

"The customer's credit position, in the customer's currency."
type CreditStatus {
  "The credit limit; null when the ERP sets this customer none."
  limit: Money
  "Invoiced and not yet paid."
  balance: Money!
  "Ordered and not yet invoiced."
  openOrders: Money!
  "Balance plus open orders: everything the customer owes or has ordered."
  exposure: Money!
  "Limit minus exposure, never below zero; null when there is no limit."
  available: Money
  "How far exposure is over the limit; zero within it."
  overLimit: Money!
  onHold: Boolean!
  holdReason: String
  asOf: DateTime!
  stale: Boolean!
}

type Money {
  "Decimal string, to the currency's minor unit, e.g. \`\\"12.50\\"\`."
  amount: Decimal!
  "ISO 4217 currency code."
  currency: String!
}

type Product {
  sku: ID!
  name: String!
  description: String!
  "The unit the product is sold in, as a UN/CEFACT code (\`EA\`, \`BX\`, \`MTR\`...)."
  unitOfMeasure: String!
  category: String!
  """
  The buyer's price at \`quantity\` (default 1). Fails with \`NOT_SOLD_TO_CUSTOMER\` when the product
  is not sold to the customer, \`PRICE_NOT_AVAILABLE\` when the ERP has no price for it,
  \`INVALID_QUANTITY\` for a quantity that is not positive or is too large.
  """
  price(quantity: Float = 1): Price
  "Available to promise for \`quantity\` (default 1), in total and per warehouse."
  availability(quantity: Float = 1): Availability
}

enum PriceSource {
  "A price agreed with this customer."
  CONTRACT
  "The price list of the customer's group."
  PRICE_LIST
  "The list price, the same for everybody in the currency."
  LIST
}

type Price {
  quantity: Float!
  unitPrice: Money!
  "Unit price times quantity."
  extendedPrice: Money!
  "The list price at the same quantity, for comparison."
  listPrice: Money
  source: PriceSource!
  "The quantity breaks of the applying price, ascending."
  breaks: [QuantityBreak!]!
  asOf: DateTime!
  stale: Boolean!
}

type QuantityBreak {
  minQuantity: Float!
  unitPrice: Money!
}

enum StockStatus {
  "The quantity ships now and plenty remains."
  IN_STOCK
  "The quantity ships now, but what remains falls below the safety stock."
  LOW_STOCK
  "The quantity ships later, on \`promiseDate\`."
  BACKORDER
  "The quantity cannot be promised: not enough stock, nothing incoming, not replenished."
  OUT_OF_STOCK
}

type Availability {
  status: StockStatus!
  quantity: Float!
  "Available to promise now, over every warehouse."
  available: Float!
  "When the whole quantity can ship; \`null\` when it cannot be promised."
  promiseDate: Date
  "Days to replenish from the supplier; \`null\` when the product is no longer replenished."
  leadTimeDays: Int
  warehouses: [WarehouseAvailability!]!
  "How the promise is met: from which warehouse, how much, when."
  allocations: [Allocation!]!
  asOf: DateTime!
  stale: Boolean!
}

type WarehouseAvailability {
  code: ID!
  onHand: Float!
  reserved: Float!
  safetyStock: Float!
  "On hand minus reserved minus safety stock, never below zero."
  available: Float!
  incoming: [IncomingReceipt!]!
  "When this warehouse alone could ship the quantity; \`null\` when it cannot."
  promiseDate: Date
}

type IncomingReceipt {
  date: Date!
  quantity: Float!
}

enum AllocationSource {
  STOCK
  INCOMING
  REPLENISHMENT
}

type Allocation {
  warehouse: ID!
  quantity: Float!
  date: Date!
  source: AllocationSource!
}

type ProductConnection {
  edges: [ProductEdge!]!
  pageInfo: PageInfo!
  totalCount: Int!
}

type ProductEdge {
  cursor: String!
  node: Product!
}

type PageInfo {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}
`;
