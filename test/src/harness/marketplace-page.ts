/**
 * The contract's marketplace page: 20 fundraising loans with their borrower, funding and first 10 bids with each
 * bid's investor, as a front end asks for it (users' masked fields included, so the page depends on who reads).
 */
export const MARKETPLACE_PAGE = `query MarketplacePage {
  loans(status: FUNDRAISING, first: 20) {
    totalCount
    edges { node {
      id loanNo title amount annualRate investorRate termMonths repaymentMethod status createdAt openedAt
      borrower { id mobile realName }
      funding { raised remaining bidCount progress }
      bids(first: 10) { totalCount edges { node { id amount status createdAt investor { id mobile } } } }
    } }
  }
}`;

export interface PageBid {
  id: string;
  amount: string;
  status: string;
  investor: { id: string; mobile: string };
}

export interface PageLoan {
  id: string;
  borrower: { id: string; mobile: string; realName: string | null };
  funding: { raised: string; remaining: string; bidCount: number; progress: number };
  bids: { totalCount: number; edges: { node: PageBid }[] };
}

/** The page's loans by id. */
export function loansOfPage(data: { loans: { edges: { node: PageLoan }[] } }): Map<string, PageLoan> {
  return new Map(data.loans.edges.map((edge) => [edge.node.id, edge.node]));
}
