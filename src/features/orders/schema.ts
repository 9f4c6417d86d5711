/**
 * The orders feature's part of the public schema: placing, viewing and operating orders.
 *
 * @module
 */

export const ordersTypeDefs = /* GraphQL */ `
extend type Query {
  "An order of the customer, by erpfront's id (or the ERP's number for orders placed elsewhere)."
  order(id: ID!): Order
  "The customer's orders, newest first: those still waiting in erpfront and those in the ERP."
  orders(first: Int = 20, after: String): OrderConnection!
  "Operations (role \`ops\`): orders in erpfront's queue by status, oldest first. Default: QUEUED, ON_HOLD, REJECTED."
  orderQueue(statuses: [OrderStatus!], first: Int = 100): [Order!]!
}

extend type Mutation {
  """
  Places an order. Business failures come back in \`userErrors\` (nothing is written); an accepted
  order is durable before this answers: \`SUBMITTED\` when the ERP took it, \`QUEUED\` while the ERP
  is unavailable (submitted, exactly once, when it returns), \`ON_HOLD\` for a credit review.
  Send an \`idempotencyKey\` (or the \`Idempotency-Key\` header) to retry safely.
  """
  placeOrder(input: PlaceOrderInput!): PlaceOrderPayload!
  "Cancels an order that has not reached the ERP (QUEUED, ON_HOLD, REJECTED or PENDING_APPROVAL)."
  cancelOrder(id: ID!): OrderActionPayload!
  "Operations: sends a rejected order (a dead letter) again, once its cause is fixed."
  replayOrder(id: ID!): OrderActionPayload!
  "Operations: approves an order held for credit review and queues it for the ERP."
  releaseOrder(id: ID!): OrderActionPayload!
}

input PlaceOrderInput {
  "Makes retries safe: the same key with the same payload returns the first result (kept 24 h)."
  idempotencyKey: String
  "The buyer's purchase-order number (at most 35 characters); required when the account says so."
  poNumber: String
  lines: [OrderLineInput!]!
  "One of the customer's ship-to addresses; the default one when omitted."
  shipToId: ID
  requestedDate: Date
  "Defaults to ON_ACCOUNT under the customer's payment terms."
  payment: PaymentInput
  "At most 1000 characters."
  notes: String
}

input OrderLineInput {
  sku: ID!
  quantity: Float!
  "The unit meant; must be the unit the product is sold in."
  unit: String
}

enum PaymentMethod {
  ON_ACCOUNT
  CARD
}

input PaymentInput {
  method: PaymentMethod!
  "For CARD: the payment gateway's authorization reference."
  authorizationRef: String
}

type PlaceOrderPayload {
  order: Order
  userErrors: [UserError!]!
  creditDecision: CreditDecision
  """
  When the prices the order was placed at were read from the ERP (the oldest line's). While the
  ERP is down an order is priced from erpfront's copy (the price sheet, or a recent read): this
  says how old, and \`pricesStale\` is true. Null when this request priced no order (a user
  error, or a retry answered with the first result).
  """
  pricesAsOf: DateTime
  "True when a line's price came from erpfront's copy because the ERP did not answer."
  pricesStale: Boolean
}

type OrderActionPayload {
  order: Order
  userErrors: [UserError!]!
}

"A problem with the input or a business rule; \`field\` is the path of the input field, if any."
type UserError {
  code: String!
  message: String!
  field: [String!]
}

enum CreditDecisionKind {
  APPROVE
  REVIEW
  BLOCK
}

type CreditDecision {
  decision: CreditDecisionKind!
  "CREDIT_HOLD or CREDIT_LIMIT_EXCEEDED when not approved."
  reason: String
}

enum OrderStatus {
  "Accepted and stored; waiting for the ERP."
  QUEUED
  "In the ERP."
  SUBMITTED
  "Waiting for a credit review."
  ON_HOLD
  "Refused by the ERP; see \`rejection\`."
  REJECTED
  CANCELLED
  "Waiting for the company's approvers (see \`approval\`); counted in the customer's credit exposure."
  PENDING_APPROVAL
  "Rejected by one of the company's approvers, or its approval expired; never sent to the ERP."
  APPROVAL_REJECTED
  PARTIALLY_SHIPPED
  SHIPPED
  INVOICED
}

type Order {
  "erpfront's order id; the ERP holds it as the order's external reference."
  id: ID!
  customerId: ID!
  status: OrderStatus!
  erpOrderNumber: String
  poNumber: String
  "The lines' amount, as erpfront priced the order (before tax and shipping)."
  total: Money!
  "Subtotal, tax, shipping and total as the ERP computed them, once the order is in the ERP (when its ERP says); null before."
  totals: OrderTotals
  lines: [OrderLine!]!
  createdAt: DateTime!
  submittedAt: DateTime
  requestedDate: Date
  shipToId: ID
  notes: String
  "Who placed it (a buyer, or a sales rep on the customer's behalf)."
  placedBy: String
  creditDecision: CreditDecision
  rejection: OrderRejection
  """
  Why the ERP holds the order, while the ERP has it ON_HOLD (e.g. the ERP's credit limit refused to
  confirm it: it waits for a person there); null otherwise. An order erpfront itself holds for a
  credit review (not sent to the ERP yet) says why in \`creditDecision\`.
  """
  holdReason: HoldReason
  """
  While QUEUED after a failed attempt to reach the ERP: a sentence saying erpfront retries on its
  own. Never the ERP's own text (operations, with the ops role, see it).
  """
  lastError: String
  shipments: [Shipment!]!
  invoices: [Invoice!]!
  "True when the ERP could not be asked: the status is erpfront's last knowledge."
  stale: Boolean!
}

"An order's amounts as the ERP computes them: total = subtotal + tax + shipping."
type OrderTotals {
  subtotal: Money!
  tax: Money!
  shipping: Money!
  total: Money!
}

type OrderLine {
  sku: ID!
  quantity: Float!
  unitPrice: Money!
  unitOfMeasure: String!
  shippedQuantity: Float!
}

type OrderRejection {
  "The ERP's reason code (UPPER_SNAKE), e.g. CREDIT_HOLD, INSUFFICIENT_STOCK, REJECTED."
  reason: String!
  "erpfront's sentence for the reason; the ERP's own text for operations (ops role)."
  message: String!
}

"Why the ERP holds an order."
type HoldReason {
  """
  A stable code: CREDIT_LIMIT_EXCEEDED (the ERP's credit limit refused to confirm the order),
  AWAITING_CONFIRMATION (the ERP gives no reason: a person there must confirm it), or another code
  the ERP names.
  """
  code: String!
  "The ERP's reason in words a buyer can act on."
  message: String!
}

type Shipment {
  id: ID!
  carrier: String!
  trackingNumber: String!
  shippedAt: DateTime!
  lines: [ShipmentLine!]!
}

type ShipmentLine {
  sku: ID!
  quantity: Float!
}

enum InvoiceKind {
  INVOICE
  CREDIT_MEMO
}

type Invoice {
  number: ID!
  kind: InvoiceKind!
  issuedAt: Date!
  dueDate: Date!
  total: Money!
  paid: Boolean!
}

type OrderConnection {
  edges: [OrderEdge!]!
  pageInfo: PageInfo!
}

type OrderEdge {
  cursor: String!
  node: Order!
}
`;
