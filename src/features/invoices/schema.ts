/**
 * The invoices feature's part of the public schema.
 *
 * @module
 */
export const invoicesTypeDefs = /* GraphQL */ `
extend type Query {
  """
  The customer's invoices and credit memos as the ERP books them, newest first, filtered and paged
  by erpfront from one read of the ERP (cached as long as credit figures). \`asOf\`/\`stale\` on the
  connection say how old that read is. Amounts are signed: a credit memo's total is negative.
  """
  invoices(first: Int = 20, after: String, filter: InvoiceFilter): InvoiceConnection!
  """
  The customer's open balance and its aging by days past due (UTC today), from the same read as
  \`invoices\`. Only documents in the account's currency are counted.
  """
  accountStatement: AccountStatement!
}

"Where an invoice stands: OVERDUE is an OPEN one past its due date."
enum InvoiceStatus {
  OPEN
  PAID
  OVERDUE
}

input InvoiceFilter {
  "OPEN matches every unpaid document, overdue ones included; OVERDUE only those past due; PAID the settled ones."
  status: InvoiceStatus
  kind: InvoiceKind
  "Issued on or after this day."
  from: Date
  "Issued on or before this day."
  to: Date
}

# An order's own \`invoices\` answer these fields too, derived from what the order carries
# (\`orderId\` and \`documentUrl\` there are null).
extend type Invoice {
  status: InvoiceStatus!
  "What is still owed (signed like total); zero once paid."
  openAmount: Money!
  overdue: Boolean!
  "Whole days past the due date (UTC); zero or less before it falls due."
  daysPastDue: Int!
  "The order it bills: erpfront's order id for orders placed through erpfront, else the ERP's order number."
  orderId: ID
  erpOrderNumber: String
  "Where the document downloads (GET, same bearer token); null when the ERP renders none."
  documentUrl: String
}

type InvoiceConnection {
  edges: [InvoiceEdge!]!
  pageInfo: PageInfo!
  "How many documents match the filter."
  totalCount: Int!
  asOf: DateTime!
  stale: Boolean!
}

type InvoiceEdge {
  cursor: String!
  node: Invoice!
}

type AgingBuckets {
  "Not yet due."
  current: Decimal!
  days1to30: Decimal!
  days31to60: Decimal!
  days61to90: Decimal!
  over90: Decimal!
}

type AccountStatement {
  openBalance: Money!
  aging: AgingBuckets!
  asOf: DateTime!
  stale: Boolean!
}
`;
