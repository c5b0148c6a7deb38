// The viewer operations, typed from schema.graphql by `npm run codegen`.
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
 * What every page of a signed-in person needs (the root loader): theme and currency, the name and
 * avatar the header shows and the role that decides the Admin link — from our user row, which a profile
 * or role change updates at once — and the tenant's maintenance banner.
 */
export const AppearanceQuery = graphql(`
  query Appearance {
    tenantSettings {
      maintenanceBanner
    }
    viewer {
      id
      firstName
      lastName
      avatarUrl
      role
      preferences {
        app {
          currency
          theme
        }
      }
    }
  }
`);
