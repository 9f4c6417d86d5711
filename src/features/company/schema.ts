/**
 * The company feature's part of the public schema: the company (the ERP customer) with its buyer
 * directory and approval rules, managing them, and approving orders.
 *
 * @module
 */

export const companyTypeDefs = /* GraphQL */ `
extend type Viewer {
  """
  The company this request acts for, as erpfront keeps it: its buyers, their roles and limits, its
  approval rules. Null when the request acts for no customer.
  """
  company: Company
}

extend type Query {
  """
  Orders of the company waiting for the caller's approval (an APPROVER or ADMIN of the company),
  oldest first: those whose current tier the caller may approve, never their own.
  """
  ordersAwaitingApproval(first: Int = 20, after: String): OrderConnection!
}

extend type Mutation {
  """
  Adds a person to the company's directory or changes their roles and limits (the company's
  admins, or operations naming the company in X-Customer-Id). Limits are in the customer's
  currency; null removes a limit, omitted keeps it.
  """
  setCompanyBuyer(input: SetCompanyBuyerInput!): SetCompanyBuyerPayload!
  "The role a person seen for the first time is given (default BUYER). Company admins or operations."
  setCompanyDefaultRole(role: CompanyRole!): SetCompanyDefaultRolePayload!
  "Creates (no id) or replaces (by id) an approval rule. Company admins or operations."
  setApprovalRule(input: SetApprovalRuleInput!): ApprovalRulePayload!
  "Removes an approval rule. Orders already waiting keep the approval they were given."
  removeApprovalRule(id: ID!): RemoveApprovalRulePayload!
  """
  Approves the current tier of an order waiting for approval. Once every tier is approved the order
  goes on to the ERP (queued while the ERP is down). Never by the order's requester (SELF_APPROVAL);
  APPROVAL_EXPIRED once its approval expired.
  """
  approveOrder(id: ID!): OrderActionPayload!
  "Rejects an order waiting for approval: one rejection ends it (APPROVAL_REJECTED)."
  rejectOrder(id: ID!, reason: String!): OrderActionPayload!
}

extend type Order {
  "The order's approval, when it needed one: its tiers and every step (who, when, what)."
  approval: OrderApproval
}

"What a person does in their company; one person may hold several."
enum CompanyRole {
  "Manages the company's buyers and approval rules."
  ADMIN
  "Approves orders that need approval (never their own)."
  APPROVER
  "Places orders."
  BUYER
}

"A company account: the ERP customer, with the people who buy for it."
type Company {
  "The customer id in the ERP."
  id: ID!
  name: String!
  "The role a person seen for the first time is given."
  defaultRole: CompanyRole!
  "The caller's own entry; null for those who are not in the company (sales reps, operations)."
  me: CompanyBuyer
  "The company's directory, by subject."
  buyers(first: Int = 500): [CompanyBuyer!]!
  approvalRules: [ApprovalRule!]!
}

"A person in a company's directory."
type CompanyBuyer {
  "The identity provider's subject (the token's sub)."
  subject: ID!
  roles: [CompanyRole!]!
  "The largest order placed without approval; null: no limit."
  orderLimit: Money
  "The largest sum of their orders in a calendar month (UTC) without approval; null: no limit."
  monthlyLimit: Money
  "The ship-tos they may order to; null: any of the customer's."
  allowedShipToIds: [ID!]
  updatedAt: DateTime!
  "Who last changed the entry; null: registered when first seen."
  updatedBy: String
}

input SetCompanyBuyerInput {
  subject: ID!
  roles: [CompanyRole!]!
  orderLimit: Decimal
  monthlyLimit: Decimal
  allowedShipToIds: [ID!]
}

type SetCompanyBuyerPayload {
  buyer: CompanyBuyer
  userErrors: [UserError!]!
}

type SetCompanyDefaultRolePayload {
  company: Company
  userErrors: [UserError!]!
}

enum ApprovalConditionKind {
  "The order's total is over \`amount\`."
  ORDER_TOTAL_OVER
  "Some line orders more than \`quantity\`."
  LINE_QUANTITY_OVER
  "Some line is a product of \`category\`."
  PRODUCT_CATEGORY
  "Every order of a requester holding \`role\`."
  REQUESTER_ROLE
  "Every order a sales rep places on the company's behalf: the company approves its reps' orders."
  SALES_REP_ORDER
}

type ApprovalCondition {
  kind: ApprovalConditionKind!
  amount: Decimal
  quantity: Float
  category: String
  role: CompanyRole
}

"One tier: any one person holding one of the roles approves it (a different person per tier)."
type ApprovalTier {
  approverRoles: [CompanyRole!]!
}

"""
A company's approval rule. Besides these, the built-in rule: a buyer's order over their order
limit, or taking them over their monthly limit, needs one APPROVER.
"""
type ApprovalRule {
  id: ID!
  name: String!
  condition: ApprovalCondition!
  "The rule applies to requesters holding one of these; empty: to everyone."
  requesterRoles: [CompanyRole!]!
  "One to three tiers, approved in order."
  tiers: [ApprovalTier!]!
}

input ApprovalConditionInput {
  kind: ApprovalConditionKind!
  amount: Decimal
  quantity: Float
  category: String
  role: CompanyRole
}

input ApprovalTierInput {
  approverRoles: [CompanyRole!]!
}

input SetApprovalRuleInput {
  "The rule to replace; a new rule when omitted."
  id: ID
  name: String!
  condition: ApprovalConditionInput!
  requesterRoles: [CompanyRole!]
  tiers: [ApprovalTierInput!]!
}

type ApprovalRulePayload {
  rule: ApprovalRule
  userErrors: [UserError!]!
}

type RemoveApprovalRulePayload {
  removed: Boolean!
  userErrors: [UserError!]!
}

enum ApprovalStatus {
  PENDING
  APPROVED
  REJECTED
  EXPIRED
  "Its order was cancelled while it waited."
  CANCELLED
}

type OrderApproval {
  status: ApprovalStatus!
  "The rules that asked for it (spending-limits: the built-in one)."
  ruleIds: [ID!]!
  tiers: [ApprovalTierState!]!
  expiresAt: DateTime!
  "Every step, oldest first: requested, each approval, a rejection or expiry, then the pipeline's (queued, held, submitted)."
  history: [OrderHistoryEntry!]!
}

type ApprovalTierState {
  approverRoles: [CompanyRole!]!
  approvedBy: String
  approvedAt: DateTime
}

type OrderHistoryEntry {
  at: DateTime!
  "The subject who took the step; erpfront for its own."
  by: String!
  "REQUESTED, APPROVED, REJECTED, EXPIRED, CANCELLED, REPRICED, QUEUED, ON_HOLD, SUBMITTED."
  action: String!
  note: String
}
`;
