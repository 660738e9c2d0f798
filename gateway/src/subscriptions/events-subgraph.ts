import type { SdlSubgraph } from '@wanxin/platform';

/** The name the events-only schema has in the supergraph; its fetches are answered from events, never over HTTP. */
export const EVENTS_SUBGRAPH_NAME = 'events';

/**
 * The events-only schema: the public `Subscription` fields, each returning an entity stub (or a value
 * type made of stubs) whose key an event provides. Everything else in a payload is resolved by the
 * subgraph that owns it, exactly as for a query. Composed like a subgraph, never served.
 */
const EVENTS_SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

"""Live updates over WebSocket (graphql-transport-ws) at the gateway's /graphql, fed by the platform's events."""
type Subscription {
  """After every accepted bid on the loan and on every change of its status."""
  loanFunding(
    """The loan to follow: one the viewer may see."""
    loanId: ID!
  ): FundingEvent!
  """When one of the loan's installments is repaid or falls overdue: its borrower, its investors and admins."""
  repaymentStatus(
    """The loan to follow: the viewer must be its borrower, one of its investors or an admin."""
    loanId: ID!
  ): InstallmentEvent!
  """ADMIN: the platform's figures, again after every event that may change them."""
  platformStats: PlatformStats!
  """INVESTOR or ADMIN: the claim-transfer market — every listing, sale, cancellation and expiry, as the transfer stands after it."""
  transferMarket: Transfer!
}

type FundingEvent @key(fields: "id", resolvable: false) {
  id: ID!
}

"""What the repaymentStatus subscription pushes: an installment of the loan that was repaid or fell overdue."""
type InstallmentEvent {
  """The loan the installment belongs to."""
  loan: Loan!
  """The installment, as it stands after the change."""
  installment: Installment!
}

type Loan @key(fields: "id", resolvable: false) {
  id: ID!
}

type Installment @key(fields: "id", resolvable: false) {
  id: ID!
}

type Transfer @key(fields: "id", resolvable: false) {
  id: ID!
}

type PlatformStats @key(fields: "date", resolvable: false) {
  date: Date!
}

scalar Date
`;

export const EVENTS_SUBGRAPH: SdlSubgraph = {
  name: EVENTS_SUBGRAPH_NAME,
  url: 'http://localhost:0/events-are-never-served',
  sdl: EVENTS_SDL,
};
