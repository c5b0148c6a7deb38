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

/**
 * What every page of a signed-in person needs (the root loader): theme and currency, and the name and
 * avatar the header shows — from our user row, which a profile change updates at once.
 */
export const AppearanceQuery = graphql(`
  query Appearance {
    viewer {
      id
      firstName
      lastName
      avatarUrl
      preferences {
        app {
          currency
          theme
        }
      }
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
