// The scoring pages' GraphQL operations, typed from schema.graphql by `npm run codegen`.
import { graphql } from '~/gql';

export const ScoringProfileFieldsFragment = graphql(`
  fragment ScoringProfileFields on ScoringProfile {
    id
    name
    isDefault
    updatedAt
    weights {
      price
      cpu
      gpu
      ram
      storage
      condition
    }
  }
`);

export const ScoringProfilesQuery = graphql(`
  query ScoringProfiles($first: Int, $after: String) {
    scoringProfiles(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...ScoringProfileFields
        }
      }
    }
  }
`);

/**
 * One profile by id. `node` alone would also answer an admin with someone else's profile (admins read
 * every row); the editor shows the viewer's own only, so it checks the id against their own list too.
 */
export const ScoringProfileQuery = graphql(`
  query ScoringProfile($id: ID!) {
    node(id: $id) {
      __typename
      ... on ScoringProfile {
        ...ScoringProfileFields
      }
    }
    scoringProfiles(first: 100) {
      totalCount
      edges {
        node {
          id
        }
      }
    }
  }
`);

export const CreateScoringProfileMutation = graphql(`
  mutation CreateScoringProfile($input: CreateScoringProfileInput!) {
    createScoringProfile(input: $input) {
      scoringProfile {
        id
        name
      }
    }
  }
`);

export const UpdateScoringProfileMutation = graphql(`
  mutation UpdateScoringProfile($input: UpdateScoringProfileInput!) {
    updateScoringProfile(input: $input) {
      scoringProfile {
        id
        name
      }
    }
  }
`);

export const SetDefaultScoringProfileMutation = graphql(`
  mutation SetDefaultScoringProfile($input: SetDefaultScoringProfileInput!) {
    setDefaultScoringProfile(input: $input) {
      scoringProfile {
        id
        isDefault
      }
    }
  }
`);

export const DeleteScoringProfileMutation = graphql(`
  mutation DeleteScoringProfile($input: DeleteScoringProfileInput!) {
    deleteScoringProfile(input: $input) {
      deletedScoringProfileId
    }
  }
`);
