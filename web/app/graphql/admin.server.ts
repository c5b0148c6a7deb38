// The admin console's operations (users, one user and their actions, tenant settings, the audit log),
// typed from schema.graphql by `npm run codegen`. The API refuses every one of them to non-admins.
import { graphql } from '~/gql';

/** The admin layout's check: only admins see any /admin page (the API enforces it again per field). */
export const AdminViewerQuery = graphql(`
  query AdminViewer {
    viewer {
      id
      role
    }
  }
`);

export const UsersQuery = graphql(`
  query Users(
    $first: Int
    $after: String
    $last: Int
    $before: String
    $search: String
    $filter: UserFilter
    $orderBy: UserOrder
  ) {
    users(
      first: $first
      after: $after
      last: $last
      before: $before
      search: $search
      filter: $filter
      orderBy: $orderBy
    ) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        node {
          id
          email
          firstName
          lastName
          role
          status
          lastSignInAt
          createdAt
        }
      }
    }
  }
`);

export const AdminAuditEventFields = graphql(`
  fragment AdminAuditEventFields on AuditEvent {
    id
    type
    actor {
      id
      email
      firstName
      lastName
    }
    subject {
      id
      email
      firstName
      lastName
    }
    ip
    userAgent
    count
    reason
    createdAt
  }
`);

export const AdminUserQuery = graphql(`
  query AdminUser($id: ID!) {
    viewer {
      id
    }
    user(id: $id) {
      id
      email
      firstName
      lastName
      avatarUrl
      role
      status
      active
      deletedAt
      lastSignInAt
      createdAt
      updatedAt
      listingCount
      collectionCount
      apiKeyCount
      auditEvents(first: 20) {
        edges {
          node {
            id
            type
            actor {
              id
              email
              firstName
              lastName
            }
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

export const SetUserRoleMutation = graphql(`
  mutation SetUserRole($input: SetUserRoleInput!) {
    setUserRole(input: $input) {
      user {
        id
        role
      }
    }
  }
`);

export const DeactivateUserMutation = graphql(`
  mutation DeactivateUser($input: DeactivateUserInput!) {
    deactivateUser(input: $input) {
      user {
        id
        active
      }
    }
  }
`);

export const ReactivateUserMutation = graphql(`
  mutation ReactivateUser($input: ReactivateUserInput!) {
    reactivateUser(input: $input) {
      user {
        id
        active
      }
    }
  }
`);

/** The tenant settings as the settings page shows them, and as the update hands them back. */
export const TenantSettingsFieldsFragment = graphql(`
  fragment TenantSettingsFields on TenantSettings {
    signupsEnabled
    maintenanceBanner
    maxApiKeysPerUser
    collectionSharingEnabled
    updatedAt
  }
`);

export const TenantSettingsQuery = graphql(`
  query TenantSettings {
    tenantSettings {
      ...TenantSettingsFields
    }
  }
`);

export const UpdateTenantSettingsMutation = graphql(`
  mutation UpdateTenantSettings($input: UpdateTenantSettingsInput!) {
    updateTenantSettings(input: $input) {
      tenantSettings {
        ...TenantSettingsFields
      }
    }
  }
`);

export const AuditEventsQuery = graphql(`
  query AuditEvents($filter: AuditEventFilter, $first: Int, $after: String) {
    auditEvents(filter: $filter, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...AdminAuditEventFields
        }
      }
    }
  }
`);
