// The listings pages' GraphQL operations, typed from schema.graphql by `npm run codegen`.
import { graphql } from '~/gql';

export const ListingFieldsFragment = graphql(`
  fragment ListingFields on Listing {
    id
    title
    url
    price
    condition
    cpu
    gpu
    ramGb
    storageGb
    notes
    updatedAt
  }
`);

export const ListingsQuery = graphql(`
  query Listings($first: Int, $after: String, $last: Int, $before: String, $orderBy: ListingOrder) {
    viewer {
      id
      role
    }
    defaultScoringProfile {
      id
      name
    }
    activeValuationRuleset {
      id
      name
    }
    listings(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        node {
          ...ListingFields
          score
          valuation {
            value
            delta
          }
        }
      }
    }
  }
`);

/**
 * What the listings table can be ordered by: SCORE needs a default scoring profile and VALUATION_DELTA
 * an active ruleset (the API refuses either order without one), so the page asks before it orders.
 */
export const ListingOrderOptionsQuery = graphql(`
  query ListingOrderOptions {
    defaultScoringProfile {
      id
    }
    activeValuationRuleset {
      id
    }
  }
`);

export const ListingQuery = graphql(`
  query Listing($id: ID!) {
    listing(id: $id) {
      ...ListingFields
    }
  }
`);

export const CreateListingMutation = graphql(`
  mutation CreateListing($input: CreateListingInput!) {
    createListing(input: $input) {
      listing {
        id
        title
      }
    }
  }
`);

export const UpdateListingMutation = graphql(`
  mutation UpdateListing($id: ID!, $input: UpdateListingInput!) {
    updateListing(id: $id, input: $input) {
      listing {
        id
        title
      }
    }
  }
`);

export const DeleteListingMutation = graphql(`
  mutation DeleteListing($id: ID!) {
    deleteListing(id: $id) {
      deletedListingId
    }
  }
`);
