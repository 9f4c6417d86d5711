/**
 * The registration feature's part of the public schema: a signed-in user of no company registers
 * one; operations review the applications; an approved one becomes a customer in the ERP.
 *
 * @module
 */

export const registrationTypeDefs = /* GraphQL */ `
extend type Query {
  """
  Operations (role \`ops\`): company registrations, oldest first; \`status\` narrows to one status.
  Pass \`pageInfo.endCursor\` as \`after\` for the next page.
  """
  companyApplications(status: CompanyApplicationStatus, first: Int = 20, after: String): CompanyApplicationConnection!
  "The registrations the caller (an applicant: a signed-in user of no company yet) sent, newest first."
  myCompanyApplications: [CompanyApplication!]!
}

extend type Mutation {
  """
  Registers a company: an application that operations review. Only a signed-in user who belongs to
  no company yet may call it (a token with a subject and no customerId). Problems with the input
  come back as \`userErrors\`, each naming its field; nothing is stored then.
  """
  registerCompany(input: RegisterCompanyInput!): RegisterCompanyPayload!
  """
  Operations: approves a SUBMITTED application (or an ERP_REFUSED one, once its cause is fixed). The
  customer is then created in the ERP exactly once, even across retries and ERP outages, and the
  contact becomes the company's admin; the application moves to CREATED with its \`customerId\`.
  """
  approveCompanyApplication(id: ID!): CompanyApplicationPayload!
  "Operations: rejects a SUBMITTED application, with the reason the applicant is shown."
  rejectCompanyApplication(id: ID!, reason: String!): CompanyApplicationPayload!
}

input RegisterCompanyInput {
  "The company's legal name, 2 to 200 characters."
  companyName: String!
  "The company's tax or VAT number: letters, digits, spaces and . - /, up to 40 characters."
  taxId: String!
  "1 to 10 addresses; the first is the invoicing and shipping address."
  addresses: [CompanyAddressInput!]!
  contact: CompanyContactInput!
}

input CompanyAddressInput {
  "What the company calls the site, e.g. Head office."
  name: String
  line1: String!
  line2: String
  city: String!
  region: String
  postalCode: String!
  "ISO 3166-1 alpha-2, e.g. US."
  country: String!
}

input CompanyContactInput {
  name: String!
  email: String!
  "The identity provider's subject of the user who becomes the company's admin; the caller when absent."
  subject: ID
}

enum CompanyApplicationStatus {
  "Waiting for operations to review it."
  SUBMITTED
  "Approved; the customer is being created in the ERP (retried while the ERP is down)."
  APPROVED
  "The customer exists in the ERP: see \`customerId\`."
  CREATED
  "Rejected by operations: see \`rejectionReason\`."
  REJECTED
  "The ERP refused to create the customer (see \`lastError\`): operations fix the cause and approve again."
  ERP_REFUSED
}

type CompanyApplication {
  "erpfront's id of the application; the ERP keeps it as the customer's external reference."
  id: ID!
  status: CompanyApplicationStatus!
  companyName: String!
  taxId: String!
  addresses: [CompanyApplicationAddress!]!
  contact: CompanyApplicationContact!
  "The subject of the user who registered it."
  applicant: ID!
  submittedAt: DateTime!
  reviewedAt: DateTime
  "The operator who approved or rejected it."
  reviewedBy: ID
  rejectionReason: String
  "The ERP's customer id, once CREATED."
  customerId: ID
  "Operations: attempts to create the customer in the ERP so far."
  attempts: Int!
  "Operations: why the last attempt failed, if it did."
  lastError: String
}

type CompanyApplicationAddress {
  name: String!
  line1: String!
  line2: String
  city: String!
  region: String
  postalCode: String!
  country: String!
}

type CompanyApplicationContact {
  name: String!
  email: String!
  "Who becomes the company's admin."
  subject: ID!
}

type RegisterCompanyPayload {
  application: CompanyApplication
  userErrors: [UserError!]!
}

type CompanyApplicationPayload {
  application: CompanyApplication
  userErrors: [UserError!]!
}

type CompanyApplicationConnection {
  edges: [CompanyApplicationEdge!]!
  pageInfo: PageInfo!
}

type CompanyApplicationEdge {
  cursor: String!
  node: CompanyApplication!
}
`;
