// The settings page's GraphQL operations (profile, preferences, sessions, API keys), typed from
// schema.graphql by `npm run codegen`.
import { graphql } from '~/gql';

/** Keys listed, and scoring profiles and valuation rulesets to choose defaults from: the API's page maximum. */
export const SETTINGS_PAGE = 100;

/**
 * Everything the page shows. The page sizes are variables: the API's cost limit multiplies a literal
 * `first` into the cost, and the API caps a page at 100 anyway.
 */
export const SettingsQuery = graphql(`
  query Settings($keys: Int!, $choices: Int!) {
    tenantSettings {
      maxApiKeysPerUser
    }
    viewer {
      id
      email
      firstName
      lastName
      avatarUrl
      role
      createdAt
      preferences {
        notifications {
          securityAlerts
          collectionShared
          weeklyDigest
        }
        app {
          currency
          theme
          defaultScoringProfile {
            id
          }
          defaultValuationRuleset {
            id
          }
        }
      }
      apiKeys(first: $keys) {
        edges {
          node {
            id
            name
            prefix
            scopes
            createdAt
            expiresAt
            lastUsedAt
            revokedAt
          }
        }
      }
    }
    scoringProfiles(first: $choices) {
      edges {
        node {
          id
          name
        }
      }
    }
    valuationRulesets(first: $choices) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

/**
 * The viewer's sessions, asked apart: they come from the identity provider (Clerk), and when it cannot
 * answer the rest of the page still shows.
 */
export const SessionsQuery = graphql(`
  query Sessions {
    viewer {
      id
      sessions {
        id
        browser
        device
        createdAt
        lastActiveAt
        current
      }
    }
  }
`);

export const UpdateProfileMutation = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      user {
        id
        firstName
        lastName
      }
    }
  }
`);

export const UpdateProfileImageMutation = graphql(`
  mutation UpdateProfileImage($input: UpdateProfileImageInput!) {
    updateProfileImage(input: $input) {
      user {
        id
        avatarUrl
      }
    }
  }
`);

export const RemoveProfileImageMutation = graphql(`
  mutation RemoveProfileImage {
    removeProfileImage {
      user {
        id
        avatarUrl
      }
    }
  }
`);

export const UpdatePreferencesMutation = graphql(`
  mutation UpdatePreferences($input: UpdatePreferencesInput!) {
    updatePreferences(input: $input) {
      user {
        id
      }
    }
  }
`);

export const RevokeSessionMutation = graphql(`
  mutation RevokeSession($input: RevokeSessionInput!) {
    revokeSession(input: $input) {
      sessionId
    }
  }
`);

export const CreateApiKeyMutation = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      apiKey {
        id
        name
        prefix
        scopes
        expiresAt
      }
      secret
    }
  }
`);

export const RevokeApiKeyMutation = graphql(`
  mutation RevokeApiKey($input: RevokeApiKeyInput!) {
    revokeApiKey(input: $input) {
      apiKey {
        id
        revokedAt
      }
    }
  }
`);

/** Security activity: events per page, and the page's `?activity=` cursor (the API's page maximum is 100). */
export const SECURITY_ACTIVITY_PAGE = 20;

/**
 * Settings → Security activity: the viewer's own audit events (those whose subject they are), newest
 * first, a page at a time. Asked apart from the rest of the page so its cursor pages it alone.
 */
export const SecurityActivityQuery = graphql(`
  query SecurityActivity($first: Int!, $after: String) {
    viewer {
      id
      auditEvents(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            type
            ip
            userAgent
            count
            reason
            createdAt
          }
        }
      }
    }
  }
`);
