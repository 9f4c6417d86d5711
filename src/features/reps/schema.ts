/**
 * The sales reps feature's part of the public schema: a rep's home (their assigned customers with
 * credit, open orders, orders awaiting approval and overdue invoices), and on orders, who placed
 * them on a customer's behalf and their history.
 *
 * @module
 */

export const repsTypeDefs = /* GraphQL */ `
extend type Query {
  """
  A sales rep's home: the customers the ERP assigns them, a page at a time, each with its credit,
  open orders, orders awaiting the company's approval and overdue invoices. A page costs the ERP
  one call per kind of data (accounts, open orders, invoices), none while cached. Sales rep
  tokens only (FORBIDDEN otherwise); no X-Customer-Id needed.
  """
  repHome: RepHome!
}

type RepHome {
  salesRep: SalesRep!
  "The rep's assigned customers, in the ERP's order (\`first\` at most 50)."
  customers(first: Int = 20, after: String): RepCustomerConnection!
}

"A sales representative as the ERP knows them."
type SalesRep {
  "The rep's id in the ERP."
  id: ID!
  name: String!
}

type RepCustomerConnection {
  edges: [RepCustomerEdge!]!
  pageInfo: PageInfo!
  "How many customers the ERP assigns to the rep."
  totalCount: Int!
}

type RepCustomerEdge {
  cursor: String!
  node: RepCustomer!
}

"""
One of a rep's customers at a glance. Each part fails alone (null with its error): a page is
served even while one kind of data cannot be read.
"""
type RepCustomer {
  "The customer's id in the ERP (always there, whatever else fails)."
  id: ID!
  customer: Customer
  """
  The customer's credit, counting what the ERP's figures do not show yet: orders erpfront holds
  (queued, awaiting approval) and those it submitted since the figures were read.
  """
  credit: CreditStatus
  creditState: CreditState
  "Orders open in the ERP (not yet invoiced or cancelled) and those on their way to it."
  openOrders: RepOpenOrders
  "Orders of the customer waiting for the company's approvers (see \`approveOrder\`). Null where orders are not served."
  awaitingApproval: RepAwaitingApproval
  "Unpaid invoices past their due date (UTC today)."
  overdueInvoices: RepOverdueInvoices
}

"Where a customer's credit stands, at a glance."
enum CreditState {
  "Within its limit (or without one) and not on hold."
  OK
  "Exposure over the credit limit: orders on account go to credit review or are refused."
  OVER_LIMIT
  "On credit hold in the ERP: orders on account are refused."
  ON_HOLD
}

type RepOpenOrders {
  count: Int!
  "In the customer's currency."
  total: Money!
  "Of \`count\`: accepted by erpfront and not yet in the ERP's figures (queued, held for credit review, just submitted)."
  inErpfront: Int!
  "When the ERP's part was read."
  asOf: DateTime!
  stale: Boolean!
}

type RepAwaitingApproval {
  count: Int!
  "Their total; null when none waits."
  total: Money
}

type RepOverdueInvoices {
  count: Int!
  "In the customer's currency."
  amount: Money!
  "The earliest due date among them; null when none is overdue."
  oldestDueDate: Date
  "Every unpaid invoice, overdue or not."
  openCount: Int!
  openAmount: Money!
  asOf: DateTime!
  stale: Boolean!
}

extend type Order {
  "Set when a sales rep placed the order on the customer's behalf (\`placedBy\` is then the rep's subject)."
  onBehalf: OnBehalf
  """
  The order's history, oldest first: PLACED (by whom, and on whose behalf), the approval's steps
  when it needed one, SUBMITTED when the ERP took it. Empty for an order entered in the ERP itself.
  """
  history: [OrderHistoryEntry!]!
}

"How a sales rep placed an order for a customer."
type OnBehalf {
  "The sales rep's id in the ERP."
  salesRepId: ID!
}
`;
