/**
 * PunchOut's part of the public schema: the session of a procurement system's user, its cart
 * and the cart's return.
 *
 * @module
 */

export const punchOutTypeDefs = /* GraphQL */ `
extend type Query {
  "The PunchOut session of this request (with a session access token); null for any other token."
  punchOutSession: PunchOutSession
}

extend type Mutation {
  """
  Replaces the PunchOut session's cart (one line per SKU; quantities of repeated SKUs are added).
  Refused for an \`INSPECT\` session, which is read-only.
  """
  setPunchOutCart(lines: [PunchOutCartLineInput!]!): PunchOutCartPayload!
  """
  Prices the cart with the buyer's own prices (as \`products { price }\` shows them), ends the
  session and answers the auto-submitting page that posts the cart to the procurement system:
  a cXML PunchOutOrderMessage, or SAP OCI \`NEW_ITEM-*\` fields. Render \`html\` in the user's browser.
  """
  returnPunchOutCart: PunchOutReturnPayload!
}

enum PunchOutProtocol {
  CXML
  OCI
}

"CREATE a new cart; EDIT the cart returned earlier; INSPECT it read-only."
enum PunchOutOperation {
  CREATE
  EDIT
  INSPECT
}

"A procurement system's user shopping in erpfront for the buyer's customer."
type PunchOutSession {
  id: ID!
  protocol: PunchOutProtocol!
  operation: PunchOutOperation!
  "The ERP customer whose prices and availability apply."
  customerId: ID!
  expiresAt: DateTime!
  "The cart: empty for CREATE, pre-loaded from the buyer's earlier cart for EDIT and INSPECT."
  lines: [PunchOutCartLine!]!
}

type PunchOutCartLine {
  sku: ID!
  quantity: Float!
}

input PunchOutCartLineInput {
  sku: ID!
  quantity: Float!
}

type PunchOutCartPayload {
  session: PunchOutSession
  userErrors: [UserError!]!
}

"A field of the return form."
type PunchOutFormField {
  name: String!
  value: String!
}

"A returned cart line, as the procurement system receives it."
type PunchOutReturnedLine {
  sku: ID!
  quantity: Float!
  unitPrice: Money!
  "UN/CEFACT Rec. 20 unit code."
  unitOfMeasure: String!
  "Days until the quantity can ship (0 from stock); null when it cannot be promised."
  leadTimeDays: Int
}

type PunchOutReturnPayload {
  "The auto-submitting HTML page; null when the cart could not be returned (see userErrors)."
  html: String
  "Where the form posts (the buyer's BrowserFormPost URL or HOOK_URL)."
  action: String
  target: String
  fields: [PunchOutFormField!]!
  total: Money
  lines: [PunchOutReturnedLine!]!
  userErrors: [UserError!]!
}
`;
