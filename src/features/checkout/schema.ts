/**
 * The checkout feature's part of the public schema: the checkout preview and reorder.
 *
 * @module
 */

export const checkoutTypeDefs = /* GraphQL */ `
extend type Query {
  """
  The order \`input\` would place, priced and checked as \`placeOrder\` would, without writing
  anything: each line's price and availability, the ERP's subtotal, tax and shipping, the credit
  decision, whether approval is needed, and the user errors the order would get. While the ERP is
  down: \`stale\` with \`asOf\`, tax estimated at the last rate the ERP applied to the ship-to's
  region (\`taxEstimate\`) or \`null\` when none is known, shipping and total \`null\`; the reason
  in \`totalsUnavailable\`.
  """
  checkoutPreview(input: CheckoutInput!): CheckoutPreview!
  """
  A past order of the customer (erpfront's id, or the ERP's number) as a checkout preview at
  today's prices and availability; lines no longer sold are left out and listed in
  \`unavailableLines\`. Writes nothing: place the order with \`placeOrder\`.
  """
  reorder(orderId: ID!): ReorderPayload!
  """
  A past quote of the customer (any status: requested, quoted, expired, accepted, declined) as a
  checkout preview at today's prices and availability, not the quoted prices (\`acceptQuote\` orders
  at those); lines no longer sold are left out and listed in \`unavailableLines\`. Another
  customer's quote is not found. Writes nothing.
  """
  reorderQuote(quoteId: ID!): ReorderPayload!
}

"What a checkout preview takes: the lines, ship-to and payment of \`PlaceOrderInput\`."
input CheckoutInput {
  lines: [OrderLineInput!]!
  "One of the customer's ship-to addresses; the default one when omitted."
  shipToId: ID
  "Defaults to ON_ACCOUNT under the customer's payment terms."
  payment: PaymentInput
  "Checked as the order would check it (required when the account says so)."
  poNumber: String
  requestedDate: Date
}

type CheckoutPreview {
  lines: [CheckoutLine!]!
  "The lines' amount (the ERP's, when it answered)."
  subtotal: Money
  """
  Tax as the ERP computes it for this ship-to. While the ERP does not answer: an estimate on the
  subtotal at the last rate it applied to this customer's ship-to region (\`taxEstimate\` says
  which, and when), or \`null\` when no rate is known (see \`totalsUnavailable\`).
  """
  tax: Money
  "How \`tax\` was estimated while the ERP did not answer; \`null\` when \`tax\` is the ERP's figure, or unknown."
  taxEstimate: TaxEstimate
  shipping: Money
  "Subtotal + tax + shipping, the ERP's figure; \`null\` when any of them is unknown."
  total: Money
  "Why shipping and total are \`null\`, and tax estimated or \`null\`, in a sentence; \`null\` when they are the ERP's."
  totalsUnavailable: String
  "The decision \`placeOrder\` would take now."
  creditDecision: CreditDecision
  "Whether the company's approvers would have to approve this order (PENDING_APPROVAL)."
  approvalRequired: Boolean
  "True when a figure is erpfront's copy because the ERP did not answer."
  stale: Boolean!
  "When the oldest figure was read from the ERP."
  asOf: DateTime
  "The user errors \`placeOrder\` would answer; empty when the order would be taken."
  userErrors: [UserError!]!
}

"""
The last tax rate the ERP applied to a customer's ship-to region, which an estimated \`tax\` is
computed at: the subtotal × \`rate\`, rounded half-even to the currency's minor unit. Shipping,
and any tax on it, are not in it.
"""
type TaxEstimate {
  "A decimal fraction: \`0.0475\` is 4.75 %."
  rate: String!
  "When the ERP applied it: the checkout totals it was read off."
  asOf: DateTime!
  "The ship-to's tax region: the country, with the state or province when there is one (\`US-NC\`, \`DE\`)."
  region: String!
}

type CheckoutLine {
  sku: ID!
  quantity: Float!
  unitOfMeasure: String!
  unitPrice: Money!
  "The price with its source and quantity breaks."
  price: Price!
  availability: Availability!
}

type ReorderPayload {
  "The preview of the lines still sold; \`null\` when none is (see \`userErrors\`)."
  preview: CheckoutPreview
  "Lines of the past order (or quote) that are no longer sold to the customer."
  unavailableLines: [UnavailableLine!]!
  "ORDER_NOT_FOUND (reorder), QUOTE_NOT_FOUND (reorderQuote), NOTHING_TO_REORDER."
  userErrors: [UserError!]!
}

type UnavailableLine {
  sku: ID!
  quantity: Float!
  "NOT_SOLD_TO_CUSTOMER (discontinued or restricted) or UNKNOWN_SKU (no longer in the catalog)."
  reason: String!
  message: String!
}
`;
