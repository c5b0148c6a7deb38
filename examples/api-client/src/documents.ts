// The operations this client runs. `npm run codegen` types them against schema.graphql.
import { graphql } from './generated/index.js';

export const WhoAmIDocument = graphql(`
  query WhoAmI {
    viewer {
      email
      firstName
      lastName
    }
  }
`);

export const RecentListingsDocument = graphql(`
  query RecentListings($first: Int!) {
    listings(first: $first) {
      totalCount
      edges {
        node {
          id
          title
          price
          createdAt
        }
      }
    }
  }
`);

export const AddListingDocument = graphql(`
  mutation AddListing($input: CreateListingInput!) {
    createListing(input: $input) {
      listing {
        id
        title
        price
      }
    }
  }
`);
