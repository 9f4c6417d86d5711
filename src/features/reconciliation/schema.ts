/**
 * The reconciliation feature's part of the public schema: what a comparison of erpfront's orders
 * with the ERP's found, and running one now. Operations only.
 *
 * @module
 */

export const reconciliationTypeDefs = /* GraphQL */ `
extend type Query {
  "Operations (role \`ops\`): what comparing erpfront's orders with the ERP's found."
  reconciliation: Reconciliation!
}

extend type Mutation {
  """
  Operations (role \`ops\`): compares erpfront's orders of the last RECONCILE_DAYS days with the
  ERP now, and answers when done. Only one instance runs it at a time: while another does,
  \`ran\` is false and its findings show in \`reconciliation\` once it is done.
  """
  runReconciliation: ReconciliationRun!
}

type Reconciliation {
  "When the last run ended; null before the first."
  lastRunAt: DateTime
  lastRun: ReconciliationRun
  "Findings open now, by kind (every kind, 0 when none)."
  openCounts: [ReconciliationCount!]!
  "Open findings (first seen first), then resolved ones (last resolved first). \`open\`: only one of the two."
  findings(open: Boolean, first: Int = 100): [ReconciliationFinding!]!
}

enum ReconciliationFindingKind {
  "erpfront submitted the order and the ERP took it, but the ERP holds no order with its reference any more. erpfront queued it again (it reaches the ERP once)."
  MISSING_IN_ERP
  "The ERP's order has other lines, quantities, unit prices or units than erpfront submitted."
  LINES_DIFFER
  "The lines agree; the ERP's total (or currency) does not."
  TOTAL_DIFFERS
  "The ERP holds more than one live order with the order's reference."
  DUPLICATE_IN_ERP
}

"One kind of drift between an order of erpfront's and the ERP's, while it lasts and after."
type ReconciliationFinding {
  id: ID!
  kind: ReconciliationFindingKind!
  "erpfront's order id (the ERP's external reference)."
  orderId: ID!
  customerId: ID!
  "The ERP's number of the order concerned, when there is one."
  erpOrderNumber: String
  "What is wrong and what erpfront did about it, in a sentence or two."
  detail: String!
  differences: [ReconciliationDifference!]!
  firstSeenAt: DateTime!
  "The last run that saw it."
  lastSeenAt: DateTime!
  "When a run no longer saw it; null while open."
  resolvedAt: DateTime
}

"One value that differs: erpfront's and the ERP's, null where a side has none."
type ReconciliationDifference {
  "line (on one side only), quantity, unitPrice, unitOfMeasure, total, currency, or erpOrders (how many the ERP holds)."
  field: String!
  sku: ID
  erpfront: String
  erp: String
}

type ReconciliationCount {
  kind: ReconciliationFindingKind!
  count: Int!
}

type ReconciliationRun {
  "False when it did not run (see \`skipped\`)."
  ran: Boolean!
  "Why it did not run; null when it ran."
  skipped: String
  startedAt: DateTime!
  "Null when it did not run."
  finishedAt: DateTime
  "Orders compared with the ERP."
  ordersChecked: Int!
  "Orders the ERP did not answer for: their findings stay as they were until the next run."
  ordersUnchecked: Int!
  findingsOpened: Int!
  findingsResolved: Int!
  "Orders the ERP no longer held, queued again."
  requeued: [ID!]!
}
`;
