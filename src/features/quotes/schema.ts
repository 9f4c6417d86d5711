/**
 * The quotes feature's part of the public schema: requests for quotation (RFQ), their answers
 * from the ERP, and the buyer's responses.
 *
 * @module
 */

export const quotesTypeDefs = /* GraphQL */ `
extend type Query {
  "The customer's quotes, newest first (those requested through erpfront)."
  quotes(first: Int = 20, after: String): QuoteConnection!
  "A quote of the customer; null for an unknown id or another customer's quote."
  quote(id: ID!): Quote
}

extend type Mutation {
  """
  Requests a quote for a cart, with a note for sales. Durable before this answers: the request
  becomes an ERP quotation exactly once, queued while the ERP is unavailable. Send an
  \`idempotencyKey\` to retry safely (the same key answers the same quote).
  """
  requestQuote(input: RequestQuoteInput!): RequestQuotePayload!
  """
  Turns a QUOTED quote into an order at the quoted prices (whatever the prices of today), through
  the order pipeline: credit, company approvals, the queue, exactly once. A quote is ordered at
  most once: accepting it again answers the same order. QUOTE_EXPIRED past its \`validUntil\`.
  """
  acceptQuote(id: ID!, idempotencyKey: String!, poNumber: String): AcceptQuotePayload!
  "Declines a REQUESTED or QUOTED quote (recorded in the ERP exactly once)."
  declineQuote(id: ID!): QuotePayload!
  "Asks sales to revise a QUOTED quote, with a note; it goes back to REQUESTED in the ERP."
  requestQuoteRevision(id: ID!, note: String!): QuotePayload!
}

input RequestQuoteInput {
  lines: [QuoteLineInput!]!
  "For sales: what the quote is for, terms asked for."
  note: String
  idempotencyKey: String
}

input QuoteLineInput {
  sku: ID!
  quantity: Float!
}

enum QuoteStatus {
  "Waiting for sales (or for the ERP, while \`erpQuoteNumber\` is null)."
  REQUESTED
  "Priced by sales; valid until \`validUntil\`."
  QUOTED
  "Ordered (\`orderId\`)."
  ACCEPTED
  DECLINED
  "Quoted, and \`validUntil\` has passed: it can no longer be accepted."
  EXPIRED
  "Withdrawn by sales, or refused by the ERP (\`erpRefusal\`)."
  WITHDRAWN
}

type Quote {
  "erpfront's quote id; the ERP holds it as the quotation's external reference."
  id: ID!
  status: QuoteStatus!
  "The ERP's quotation number, once the ERP has the request."
  erpQuoteNumber: String
  note: String
  requestedBy: String
  createdAt: DateTime!
  "The last day the quoted prices hold."
  validUntil: Date
  "Quantity × quoted price of every line, once quoted."
  total: Money
  lines: [QuoteLine!]!
  "The order an accepted quote became."
  orderId: ID
  "Why the ERP refused the request (its reason code), when it did."
  erpRefusal: String
  "True when the ERP could not be asked: the status is erpfront's last knowledge."
  stale: Boolean!
}

type QuoteLine {
  sku: ID!
  quantity: Float!
  "The quoted unit price; null until quoted."
  unitPrice: Money
}

type QuoteConnection {
  edges: [QuoteEdge!]!
  pageInfo: PageInfo!
}

type QuoteEdge {
  cursor: String!
  node: Quote!
}

type RequestQuotePayload {
  quote: Quote
  userErrors: [UserError!]!
}

type QuotePayload {
  quote: Quote
  userErrors: [UserError!]!
}

type AcceptQuotePayload {
  order: Order
  quote: Quote
  userErrors: [UserError!]!
}
`;
