// Every GraphQL operation the web app sends. `npm run codegen` types them from schema.graphql into
// web/app/gql/, so each loader's result is typed end to end.
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

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      id
      email
      firstName
      lastName
      avatarUrl
      role
      createdAt
    }
  }
`);

export const ListingsQuery = graphql(`
  query Listings($first: Int, $after: String, $last: Int, $before: String) {
    viewer {
      id
      role
    }
    listings(first: $first, after: $after, last: $last, before: $before) {
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
        }
      }
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

export const UsersQuery = graphql(`
  query Users($first: Int!, $after: String) {
    users(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          email
          firstName
          lastName
          role
          createdAt
        }
      }
    }
  }
`);
