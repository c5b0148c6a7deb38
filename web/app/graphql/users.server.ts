// The viewer and admin user list operations, typed from schema.graphql by `npm run codegen`.
import { graphql } from '~/gql';

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
