/**
 * The returns feature's part of the public schema: return requests (RMA) for shipped order lines.
 *
 * @module
 */

export const returnsTypeDefs = /* GraphQL */ `
extend type Query {
  "The customer's return requests, newest first."
  returnRequests(first: Int = 20, after: String): ReturnRequestConnection!
  "A return request of the customer; null for an unknown id or another customer's."
  returnRequest(id: ID!): ReturnRequest
}

extend type Mutation {
  """
  Asks to return lines of a shipped order: per line at most what shipped less what other returns
  take back (RETURN_QUANTITY_EXCEEDS_SHIPPED), with a reason code of the configured list
  (RETURN_REASONS). Durable before this answers; it reaches the ERP exactly once, queued while
  the ERP is unavailable. Send an \`idempotencyKey\` to retry safely.
  """
  requestReturn(input: RequestReturnInput!): RequestReturnPayload!
}

input RequestReturnInput {
  "erpfront's id of the order the goods came with."
  orderId: ID!
  lines: [ReturnLineInput!]!
  idempotencyKey: String
}

input ReturnLineInput {
  sku: ID!
  quantity: Float!
  "A reason code of the configured list, e.g. DAMAGED."
  reason: String!
}

enum ReturnStatus {
  "Waiting for the ERP's review (or for the ERP itself, while \`erpReturnNumber\` is null)."
  REQUESTED
  "The goods may be sent back."
  AUTHORIZED
  RECEIVED
  "A credit memo was issued (\`creditMemo\`)."
  CREDITED
  "Refused by the ERP (\`erpRefusal\` when it refused the request itself)."
  REJECTED
  CANCELLED
}

type ReturnRequest {
  "erpfront's id; the ERP holds it as the return's external reference."
  id: ID!
  status: ReturnStatus!
  orderId: ID!
  "The ERP's return (RMA) number, once the ERP has the request."
  erpReturnNumber: String
  lines: [ReturnLine!]!
  creditMemo: CreditMemo
  requestedBy: String
  createdAt: DateTime!
  "Why the ERP refused the request (its reason code), when it did."
  erpRefusal: String
  "True when the ERP could not be asked: the status is erpfront's last knowledge."
  stale: Boolean!
}

type ReturnLine {
  sku: ID!
  quantity: Float!
  reason: String!
}

type CreditMemo {
  number: String!
  issuedAt: Date!
  total: Money!
}

type ReturnRequestConnection {
  edges: [ReturnRequestEdge!]!
  pageInfo: PageInfo!
}

type ReturnRequestEdge {
  cursor: String!
  node: ReturnRequest!
}

type RequestReturnPayload {
  returnRequest: ReturnRequest
  userErrors: [UserError!]!
}
`;
