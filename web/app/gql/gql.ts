/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query AdminViewer {\n    viewer {\n      id\n      role\n    }\n  }\n": typeof types.AdminViewerDocument,
    "\n  query Users(\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $search: String\n    $filter: UserFilter\n    $orderBy: UserOrder\n  ) {\n    users(\n      first: $first\n      after: $after\n      last: $last\n      before: $before\n      search: $search\n      filter: $filter\n      orderBy: $orderBy\n    ) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          email\n          firstName\n          lastName\n          role\n          status\n          lastSignInAt\n          createdAt\n        }\n      }\n    }\n  }\n": typeof types.UsersDocument,
    "\n  fragment AdminAuditEventFields on AuditEvent {\n    id\n    type\n    actor {\n      id\n      email\n      firstName\n      lastName\n    }\n    subject {\n      id\n      email\n      firstName\n      lastName\n    }\n    ip\n    userAgent\n    count\n    reason\n    createdAt\n  }\n": typeof types.AdminAuditEventFieldsFragmentDoc,
    "\n  query AdminUser($id: ID!) {\n    viewer {\n      id\n    }\n    user(id: $id) {\n      id\n      email\n      firstName\n      lastName\n      avatarUrl\n      role\n      status\n      active\n      deletedAt\n      lastSignInAt\n      createdAt\n      updatedAt\n      listingCount\n      collectionCount\n      apiKeyCount\n      auditEvents(first: 20) {\n        edges {\n          node {\n            id\n            type\n            actor {\n              id\n              email\n              firstName\n              lastName\n            }\n            ip\n            userAgent\n            count\n            reason\n            createdAt\n          }\n        }\n      }\n    }\n  }\n": typeof types.AdminUserDocument,
    "\n  mutation SetUserRole($input: SetUserRoleInput!) {\n    setUserRole(input: $input) {\n      user {\n        id\n        role\n      }\n    }\n  }\n": typeof types.SetUserRoleDocument,
    "\n  mutation DeactivateUser($input: DeactivateUserInput!) {\n    deactivateUser(input: $input) {\n      user {\n        id\n        active\n      }\n    }\n  }\n": typeof types.DeactivateUserDocument,
    "\n  mutation ReactivateUser($input: ReactivateUserInput!) {\n    reactivateUser(input: $input) {\n      user {\n        id\n        active\n      }\n    }\n  }\n": typeof types.ReactivateUserDocument,
    "\n  fragment TenantSettingsFields on TenantSettings {\n    signupsEnabled\n    maintenanceBanner\n    maxApiKeysPerUser\n    collectionSharingEnabled\n    updatedAt\n  }\n": typeof types.TenantSettingsFieldsFragmentDoc,
    "\n  query TenantSettings {\n    tenantSettings {\n      ...TenantSettingsFields\n    }\n  }\n": typeof types.TenantSettingsDocument,
    "\n  mutation UpdateTenantSettings($input: UpdateTenantSettingsInput!) {\n    updateTenantSettings(input: $input) {\n      tenantSettings {\n        ...TenantSettingsFields\n      }\n    }\n  }\n": typeof types.UpdateTenantSettingsDocument,
    "\n  query AuditEvents($filter: AuditEventFilter, $first: Int, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...AdminAuditEventFields\n        }\n      }\n    }\n  }\n": typeof types.AuditEventsDocument,
    "\n  fragment PageInfoFields on PageInfo {\n    hasNextPage\n    hasPreviousPage\n    startCursor\n    endCursor\n  }\n": typeof types.PageInfoFieldsFragmentDoc,
    "\n  query Collections(\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $sharedFirst: Int\n    $sharedAfter: String\n    $sharedLast: Int\n    $sharedBefore: String\n  ) {\n    collections(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          itemCount\n        }\n      }\n    }\n    sharedCollections(first: $sharedFirst, after: $sharedAfter, last: $sharedLast, before: $sharedBefore) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      edges {\n        node {\n          id\n          name\n          ownerName\n          itemCount\n          viewerPermission\n        }\n      }\n    }\n  }\n": typeof types.CollectionsDocument,
    "\n  query Collection($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    node(id: $id) {\n      __typename\n      ... on Collection {\n        id\n        name\n        description\n        ownerName\n        viewerPermission\n        itemCount\n        items(first: $first, after: $after, last: $last, before: $before) {\n          totalCount\n          # PageInfoFields' fields, written out: the API's cost limit (5000) counts a fragment spread as one\n          # more level, and this query (4973, most of it the listing fields five levels deep) would go over.\n          pageInfo {\n            hasNextPage\n            hasPreviousPage\n            startCursor\n            endCursor\n          }\n          edges {\n            node {\n              id\n              note\n              position\n              addedByViewer\n              listing {\n                id\n                title\n                url\n                price\n                condition\n                cpu\n                gpu\n                ramGb\n                storageGb\n              }\n            }\n          }\n        }\n        shares(first: 100) {\n          totalCount\n          edges {\n            node {\n              id\n              email\n              permission\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.CollectionDocument,
    "\n  query AddableListings {\n    listings(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          title\n          price\n        }\n      }\n    }\n  }\n": typeof types.AddableListingsDocument,
    "\n  mutation CreateCollection($input: CreateCollectionInput!) {\n    createCollection(input: $input) {\n      collection {\n        id\n      }\n    }\n  }\n": typeof types.CreateCollectionDocument,
    "\n  mutation UpdateCollection($input: UpdateCollectionInput!) {\n    updateCollection(input: $input) {\n      collection {\n        id\n      }\n    }\n  }\n": typeof types.UpdateCollectionDocument,
    "\n  mutation DeleteCollection($input: DeleteCollectionInput!) {\n    deleteCollection(input: $input) {\n      deletedCollectionId\n    }\n  }\n": typeof types.DeleteCollectionDocument,
    "\n  mutation AddCollectionItem($input: AddCollectionItemInput!) {\n    addCollectionItem(input: $input) {\n      collectionItem {\n        id\n      }\n    }\n  }\n": typeof types.AddCollectionItemDocument,
    "\n  mutation RemoveCollectionItem($input: RemoveCollectionItemInput!) {\n    removeCollectionItem(input: $input) {\n      removedCollectionItemId\n    }\n  }\n": typeof types.RemoveCollectionItemDocument,
    "\n  mutation UpdateCollectionItem($input: UpdateCollectionItemInput!) {\n    updateCollectionItem(input: $input) {\n      collectionItem {\n        id\n      }\n    }\n  }\n": typeof types.UpdateCollectionItemDocument,
    "\n  mutation MoveCollectionItem($input: MoveCollectionItemInput!) {\n    moveCollectionItem(input: $input) {\n      collectionItem {\n        id\n        position\n      }\n    }\n  }\n": typeof types.MoveCollectionItemDocument,
    "\n  mutation ShareCollection($input: ShareCollectionInput!) {\n    shareCollection(input: $input) {\n      collection {\n        id\n      }\n    }\n  }\n": typeof types.ShareCollectionDocument,
    "\n  mutation RevokeCollectionShare($input: RevokeCollectionShareInput!) {\n    revokeCollectionShare(input: $input) {\n      collection {\n        id\n      }\n    }\n  }\n": typeof types.RevokeCollectionShareDocument,
    "\n  fragment ListingFields on Listing {\n    id\n    title\n    url\n    price\n    condition\n    cpu\n    gpu\n    ramGb\n    storageGb\n    notes\n    updatedAt\n  }\n": typeof types.ListingFieldsFragmentDoc,
    "\n  query Listings($first: Int, $after: String, $last: Int, $before: String, $orderBy: ListingOrder) {\n    viewer {\n      id\n      role\n    }\n    defaultScoringProfile {\n      id\n      name\n    }\n    activeValuationRuleset {\n      id\n      name\n    }\n    listings(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          ...ListingFields\n          score\n          valuation {\n            value\n            delta\n          }\n        }\n      }\n    }\n  }\n": typeof types.ListingsDocument,
    "\n  query ListingOrderOptions {\n    defaultScoringProfile {\n      id\n    }\n    activeValuationRuleset {\n      id\n    }\n  }\n": typeof types.ListingOrderOptionsDocument,
    "\n  query Listing($id: ID!) {\n    listing(id: $id) {\n      ...ListingFields\n    }\n  }\n": typeof types.ListingDocument,
    "\n  mutation CreateListing($input: CreateListingInput!) {\n    createListing(input: $input) {\n      listing {\n        id\n        title\n      }\n    }\n  }\n": typeof types.CreateListingDocument,
    "\n  mutation UpdateListing($id: ID!, $input: UpdateListingInput!) {\n    updateListing(id: $id, input: $input) {\n      listing {\n        id\n        title\n      }\n    }\n  }\n": typeof types.UpdateListingDocument,
    "\n  mutation DeleteListing($id: ID!) {\n    deleteListing(id: $id) {\n      deletedListingId\n    }\n  }\n": typeof types.DeleteListingDocument,
    "\n  fragment ScoringProfileFields on ScoringProfile {\n    id\n    name\n    isDefault\n    updatedAt\n    weights {\n      price\n      cpu\n      gpu\n      ram\n      storage\n      condition\n    }\n  }\n": typeof types.ScoringProfileFieldsFragmentDoc,
    "\n  query ScoringProfiles($first: Int, $after: String) {\n    scoringProfiles(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ScoringProfileFields\n        }\n      }\n    }\n  }\n": typeof types.ScoringProfilesDocument,
    "\n  query ScoringProfile($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on ScoringProfile {\n        ...ScoringProfileFields\n      }\n    }\n    scoringProfiles(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n        }\n      }\n    }\n  }\n": typeof types.ScoringProfileDocument,
    "\n  mutation CreateScoringProfile($input: CreateScoringProfileInput!) {\n    createScoringProfile(input: $input) {\n      scoringProfile {\n        id\n        name\n      }\n    }\n  }\n": typeof types.CreateScoringProfileDocument,
    "\n  mutation UpdateScoringProfile($input: UpdateScoringProfileInput!) {\n    updateScoringProfile(input: $input) {\n      scoringProfile {\n        id\n        name\n      }\n    }\n  }\n": typeof types.UpdateScoringProfileDocument,
    "\n  mutation SetDefaultScoringProfile($input: SetDefaultScoringProfileInput!) {\n    setDefaultScoringProfile(input: $input) {\n      scoringProfile {\n        id\n        isDefault\n      }\n    }\n  }\n": typeof types.SetDefaultScoringProfileDocument,
    "\n  mutation DeleteScoringProfile($input: DeleteScoringProfileInput!) {\n    deleteScoringProfile(input: $input) {\n      deletedScoringProfileId\n    }\n  }\n": typeof types.DeleteScoringProfileDocument,
    "\n  query Settings($keys: Int!, $choices: Int!) {\n    tenantSettings {\n      maxApiKeysPerUser\n    }\n    viewer {\n      id\n      email\n      firstName\n      lastName\n      avatarUrl\n      role\n      createdAt\n      preferences {\n        notifications {\n          securityAlerts\n          collectionShared\n          weeklyDigest\n        }\n        app {\n          currency\n          theme\n          defaultScoringProfile {\n            id\n          }\n          defaultValuationRuleset {\n            id\n          }\n        }\n      }\n      apiKeys(first: $keys) {\n        edges {\n          node {\n            id\n            name\n            prefix\n            scopes\n            createdAt\n            expiresAt\n            lastUsedAt\n            revokedAt\n          }\n        }\n      }\n    }\n    scoringProfiles(first: $choices) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n    valuationRulesets(first: $choices) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.SettingsDocument,
    "\n  query Sessions {\n    viewer {\n      id\n      sessions {\n        id\n        browser\n        device\n        createdAt\n        lastActiveAt\n        current\n      }\n    }\n  }\n": typeof types.SessionsDocument,
    "\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      user {\n        id\n        firstName\n        lastName\n      }\n    }\n  }\n": typeof types.UpdateProfileDocument,
    "\n  mutation UpdateProfileImage($input: UpdateProfileImageInput!) {\n    updateProfileImage(input: $input) {\n      user {\n        id\n        avatarUrl\n      }\n    }\n  }\n": typeof types.UpdateProfileImageDocument,
    "\n  mutation RemoveProfileImage {\n    removeProfileImage {\n      user {\n        id\n        avatarUrl\n      }\n    }\n  }\n": typeof types.RemoveProfileImageDocument,
    "\n  mutation UpdatePreferences($input: UpdatePreferencesInput!) {\n    updatePreferences(input: $input) {\n      user {\n        id\n      }\n    }\n  }\n": typeof types.UpdatePreferencesDocument,
    "\n  mutation RevokeSession($input: RevokeSessionInput!) {\n    revokeSession(input: $input) {\n      sessionId\n    }\n  }\n": typeof types.RevokeSessionDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      apiKey {\n        id\n        name\n        prefix\n        scopes\n        expiresAt\n      }\n      secret\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($input: RevokeApiKeyInput!) {\n    revokeApiKey(input: $input) {\n      apiKey {\n        id\n        revokedAt\n      }\n    }\n  }\n": typeof types.RevokeApiKeyDocument,
    "\n  query SecurityActivity($first: Int!, $after: String) {\n    viewer {\n      id\n      auditEvents(first: $first, after: $after) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            id\n            type\n            ip\n            userAgent\n            count\n            reason\n            createdAt\n          }\n        }\n      }\n    }\n  }\n": typeof types.SecurityActivityDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      email\n      firstName\n      lastName\n      avatarUrl\n      role\n      createdAt\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  query Appearance {\n    tenantSettings {\n      maintenanceBanner\n    }\n    viewer {\n      id\n      firstName\n      lastName\n      avatarUrl\n      role\n      preferences {\n        app {\n          currency\n          theme\n        }\n      }\n    }\n  }\n": typeof types.AppearanceDocument,
    "\n  fragment ValuationRulesetFields on ValuationRuleset {\n    id\n    name\n    isActive\n    updatedAt\n    rules {\n      attribute\n      operator\n      number\n      text\n      condition\n      adjustment\n      amount\n      factor\n      label\n      description\n    }\n  }\n": typeof types.ValuationRulesetFieldsFragmentDoc,
    "\n  query ValuationRulesets($first: Int, $after: String) {\n    valuationRulesets(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ValuationRulesetFields\n        }\n      }\n    }\n  }\n": typeof types.ValuationRulesetsDocument,
    "\n  query ValuationRuleset($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on ValuationRuleset {\n        ...ValuationRulesetFields\n      }\n    }\n    valuationRulesets(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n        }\n      }\n    }\n  }\n": typeof types.ValuationRulesetDocument,
    "\n  mutation CreateValuationRuleset($input: CreateValuationRulesetInput!) {\n    createValuationRuleset(input: $input) {\n      valuationRuleset {\n        id\n        name\n      }\n    }\n  }\n": typeof types.CreateValuationRulesetDocument,
    "\n  mutation UpdateValuationRuleset($input: UpdateValuationRulesetInput!) {\n    updateValuationRuleset(input: $input) {\n      valuationRuleset {\n        id\n        name\n      }\n    }\n  }\n": typeof types.UpdateValuationRulesetDocument,
    "\n  mutation ActivateValuationRuleset($input: ActivateValuationRulesetInput!) {\n    activateValuationRuleset(input: $input) {\n      valuationRuleset {\n        id\n        isActive\n      }\n    }\n  }\n": typeof types.ActivateValuationRulesetDocument,
    "\n  mutation DeleteValuationRuleset($input: DeleteValuationRulesetInput!) {\n    deleteValuationRuleset(input: $input) {\n      deletedValuationRulesetId\n    }\n  }\n": typeof types.DeleteValuationRulesetDocument,
};
const documents: Documents = {
    "\n  query AdminViewer {\n    viewer {\n      id\n      role\n    }\n  }\n": types.AdminViewerDocument,
    "\n  query Users(\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $search: String\n    $filter: UserFilter\n    $orderBy: UserOrder\n  ) {\n    users(\n      first: $first\n      after: $after\n      last: $last\n      before: $before\n      search: $search\n      filter: $filter\n      orderBy: $orderBy\n    ) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          email\n          firstName\n          lastName\n          role\n          status\n          lastSignInAt\n          createdAt\n        }\n      }\n    }\n  }\n": types.UsersDocument,
    "\n  fragment AdminAuditEventFields on AuditEvent {\n    id\n    type\n    actor {\n      id\n      email\n      firstName\n      lastName\n    }\n    subject {\n      id\n      email\n      firstName\n      lastName\n    }\n    ip\n    userAgent\n    count\n    reason\n    createdAt\n  }\n": types.AdminAuditEventFieldsFragmentDoc,
    "\n  query AdminUser($id: ID!) {\n    viewer {\n      id\n    }\n    user(id: $id) {\n      id\n      email\n      firstName\n      lastName\n      avatarUrl\n      role\n      status\n      active\n      deletedAt\n      lastSignInAt\n      createdAt\n      updatedAt\n      listingCount\n      collectionCount\n      apiKeyCount\n      auditEvents(first: 20) {\n        edges {\n          node {\n            id\n            type\n            actor {\n              id\n              email\n              firstName\n              lastName\n            }\n            ip\n            userAgent\n            count\n            reason\n            createdAt\n          }\n        }\n      }\n    }\n  }\n": types.AdminUserDocument,
    "\n  mutation SetUserRole($input: SetUserRoleInput!) {\n    setUserRole(input: $input) {\n      user {\n        id\n        role\n      }\n    }\n  }\n": types.SetUserRoleDocument,
    "\n  mutation DeactivateUser($input: DeactivateUserInput!) {\n    deactivateUser(input: $input) {\n      user {\n        id\n        active\n      }\n    }\n  }\n": types.DeactivateUserDocument,
    "\n  mutation ReactivateUser($input: ReactivateUserInput!) {\n    reactivateUser(input: $input) {\n      user {\n        id\n        active\n      }\n    }\n  }\n": types.ReactivateUserDocument,
    "\n  fragment TenantSettingsFields on TenantSettings {\n    signupsEnabled\n    maintenanceBanner\n    maxApiKeysPerUser\n    collectionSharingEnabled\n    updatedAt\n  }\n": types.TenantSettingsFieldsFragmentDoc,
    "\n  query TenantSettings {\n    tenantSettings {\n      ...TenantSettingsFields\n    }\n  }\n": types.TenantSettingsDocument,
    "\n  mutation UpdateTenantSettings($input: UpdateTenantSettingsInput!) {\n    updateTenantSettings(input: $input) {\n      tenantSettings {\n        ...TenantSettingsFields\n      }\n    }\n  }\n": types.UpdateTenantSettingsDocument,
    "\n  query AuditEvents($filter: AuditEventFilter, $first: Int, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...AdminAuditEventFields\n        }\n      }\n    }\n  }\n": types.AuditEventsDocument,
    "\n  fragment PageInfoFields on PageInfo {\n    hasNextPage\n    hasPreviousPage\n    startCursor\n    endCursor\n  }\n": types.PageInfoFieldsFragmentDoc,
    "\n  query Collections(\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $sharedFirst: Int\n    $sharedAfter: String\n    $sharedLast: Int\n    $sharedBefore: String\n  ) {\n    collections(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          itemCount\n        }\n      }\n    }\n    sharedCollections(first: $sharedFirst, after: $sharedAfter, last: $sharedLast, before: $sharedBefore) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      edges {\n        node {\n          id\n          name\n          ownerName\n          itemCount\n          viewerPermission\n        }\n      }\n    }\n  }\n": types.CollectionsDocument,
    "\n  query Collection($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    node(id: $id) {\n      __typename\n      ... on Collection {\n        id\n        name\n        description\n        ownerName\n        viewerPermission\n        itemCount\n        items(first: $first, after: $after, last: $last, before: $before) {\n          totalCount\n          # PageInfoFields' fields, written out: the API's cost limit (5000) counts a fragment spread as one\n          # more level, and this query (4973, most of it the listing fields five levels deep) would go over.\n          pageInfo {\n            hasNextPage\n            hasPreviousPage\n            startCursor\n            endCursor\n          }\n          edges {\n            node {\n              id\n              note\n              position\n              addedByViewer\n              listing {\n                id\n                title\n                url\n                price\n                condition\n                cpu\n                gpu\n                ramGb\n                storageGb\n              }\n            }\n          }\n        }\n        shares(first: 100) {\n          totalCount\n          edges {\n            node {\n              id\n              email\n              permission\n            }\n          }\n        }\n      }\n    }\n  }\n": types.CollectionDocument,
    "\n  query AddableListings {\n    listings(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          title\n          price\n        }\n      }\n    }\n  }\n": types.AddableListingsDocument,
    "\n  mutation CreateCollection($input: CreateCollectionInput!) {\n    createCollection(input: $input) {\n      collection {\n        id\n      }\n    }\n  }\n": types.CreateCollectionDocument,
    "\n  mutation UpdateCollection($input: UpdateCollectionInput!) {\n    updateCollection(input: $input) {\n      collection {\n        id\n      }\n    }\n  }\n": types.UpdateCollectionDocument,
    "\n  mutation DeleteCollection($input: DeleteCollectionInput!) {\n    deleteCollection(input: $input) {\n      deletedCollectionId\n    }\n  }\n": types.DeleteCollectionDocument,
    "\n  mutation AddCollectionItem($input: AddCollectionItemInput!) {\n    addCollectionItem(input: $input) {\n      collectionItem {\n        id\n      }\n    }\n  }\n": types.AddCollectionItemDocument,
    "\n  mutation RemoveCollectionItem($input: RemoveCollectionItemInput!) {\n    removeCollectionItem(input: $input) {\n      removedCollectionItemId\n    }\n  }\n": types.RemoveCollectionItemDocument,
    "\n  mutation UpdateCollectionItem($input: UpdateCollectionItemInput!) {\n    updateCollectionItem(input: $input) {\n      collectionItem {\n        id\n      }\n    }\n  }\n": types.UpdateCollectionItemDocument,
    "\n  mutation MoveCollectionItem($input: MoveCollectionItemInput!) {\n    moveCollectionItem(input: $input) {\n      collectionItem {\n        id\n        position\n      }\n    }\n  }\n": types.MoveCollectionItemDocument,
    "\n  mutation ShareCollection($input: ShareCollectionInput!) {\n    shareCollection(input: $input) {\n      collection {\n        id\n      }\n    }\n  }\n": types.ShareCollectionDocument,
    "\n  mutation RevokeCollectionShare($input: RevokeCollectionShareInput!) {\n    revokeCollectionShare(input: $input) {\n      collection {\n        id\n      }\n    }\n  }\n": types.RevokeCollectionShareDocument,
    "\n  fragment ListingFields on Listing {\n    id\n    title\n    url\n    price\n    condition\n    cpu\n    gpu\n    ramGb\n    storageGb\n    notes\n    updatedAt\n  }\n": types.ListingFieldsFragmentDoc,
    "\n  query Listings($first: Int, $after: String, $last: Int, $before: String, $orderBy: ListingOrder) {\n    viewer {\n      id\n      role\n    }\n    defaultScoringProfile {\n      id\n      name\n    }\n    activeValuationRuleset {\n      id\n      name\n    }\n    listings(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          ...ListingFields\n          score\n          valuation {\n            value\n            delta\n          }\n        }\n      }\n    }\n  }\n": types.ListingsDocument,
    "\n  query ListingOrderOptions {\n    defaultScoringProfile {\n      id\n    }\n    activeValuationRuleset {\n      id\n    }\n  }\n": types.ListingOrderOptionsDocument,
    "\n  query Listing($id: ID!) {\n    listing(id: $id) {\n      ...ListingFields\n    }\n  }\n": types.ListingDocument,
    "\n  mutation CreateListing($input: CreateListingInput!) {\n    createListing(input: $input) {\n      listing {\n        id\n        title\n      }\n    }\n  }\n": types.CreateListingDocument,
    "\n  mutation UpdateListing($id: ID!, $input: UpdateListingInput!) {\n    updateListing(id: $id, input: $input) {\n      listing {\n        id\n        title\n      }\n    }\n  }\n": types.UpdateListingDocument,
    "\n  mutation DeleteListing($id: ID!) {\n    deleteListing(id: $id) {\n      deletedListingId\n    }\n  }\n": types.DeleteListingDocument,
    "\n  fragment ScoringProfileFields on ScoringProfile {\n    id\n    name\n    isDefault\n    updatedAt\n    weights {\n      price\n      cpu\n      gpu\n      ram\n      storage\n      condition\n    }\n  }\n": types.ScoringProfileFieldsFragmentDoc,
    "\n  query ScoringProfiles($first: Int, $after: String) {\n    scoringProfiles(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ScoringProfileFields\n        }\n      }\n    }\n  }\n": types.ScoringProfilesDocument,
    "\n  query ScoringProfile($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on ScoringProfile {\n        ...ScoringProfileFields\n      }\n    }\n    scoringProfiles(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n        }\n      }\n    }\n  }\n": types.ScoringProfileDocument,
    "\n  mutation CreateScoringProfile($input: CreateScoringProfileInput!) {\n    createScoringProfile(input: $input) {\n      scoringProfile {\n        id\n        name\n      }\n    }\n  }\n": types.CreateScoringProfileDocument,
    "\n  mutation UpdateScoringProfile($input: UpdateScoringProfileInput!) {\n    updateScoringProfile(input: $input) {\n      scoringProfile {\n        id\n        name\n      }\n    }\n  }\n": types.UpdateScoringProfileDocument,
    "\n  mutation SetDefaultScoringProfile($input: SetDefaultScoringProfileInput!) {\n    setDefaultScoringProfile(input: $input) {\n      scoringProfile {\n        id\n        isDefault\n      }\n    }\n  }\n": types.SetDefaultScoringProfileDocument,
    "\n  mutation DeleteScoringProfile($input: DeleteScoringProfileInput!) {\n    deleteScoringProfile(input: $input) {\n      deletedScoringProfileId\n    }\n  }\n": types.DeleteScoringProfileDocument,
    "\n  query Settings($keys: Int!, $choices: Int!) {\n    tenantSettings {\n      maxApiKeysPerUser\n    }\n    viewer {\n      id\n      email\n      firstName\n      lastName\n      avatarUrl\n      role\n      createdAt\n      preferences {\n        notifications {\n          securityAlerts\n          collectionShared\n          weeklyDigest\n        }\n        app {\n          currency\n          theme\n          defaultScoringProfile {\n            id\n          }\n          defaultValuationRuleset {\n            id\n          }\n        }\n      }\n      apiKeys(first: $keys) {\n        edges {\n          node {\n            id\n            name\n            prefix\n            scopes\n            createdAt\n            expiresAt\n            lastUsedAt\n            revokedAt\n          }\n        }\n      }\n    }\n    scoringProfiles(first: $choices) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n    valuationRulesets(first: $choices) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.SettingsDocument,
    "\n  query Sessions {\n    viewer {\n      id\n      sessions {\n        id\n        browser\n        device\n        createdAt\n        lastActiveAt\n        current\n      }\n    }\n  }\n": types.SessionsDocument,
    "\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      user {\n        id\n        firstName\n        lastName\n      }\n    }\n  }\n": types.UpdateProfileDocument,
    "\n  mutation UpdateProfileImage($input: UpdateProfileImageInput!) {\n    updateProfileImage(input: $input) {\n      user {\n        id\n        avatarUrl\n      }\n    }\n  }\n": types.UpdateProfileImageDocument,
    "\n  mutation RemoveProfileImage {\n    removeProfileImage {\n      user {\n        id\n        avatarUrl\n      }\n    }\n  }\n": types.RemoveProfileImageDocument,
    "\n  mutation UpdatePreferences($input: UpdatePreferencesInput!) {\n    updatePreferences(input: $input) {\n      user {\n        id\n      }\n    }\n  }\n": types.UpdatePreferencesDocument,
    "\n  mutation RevokeSession($input: RevokeSessionInput!) {\n    revokeSession(input: $input) {\n      sessionId\n    }\n  }\n": types.RevokeSessionDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      apiKey {\n        id\n        name\n        prefix\n        scopes\n        expiresAt\n      }\n      secret\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation RevokeApiKey($input: RevokeApiKeyInput!) {\n    revokeApiKey(input: $input) {\n      apiKey {\n        id\n        revokedAt\n      }\n    }\n  }\n": types.RevokeApiKeyDocument,
    "\n  query SecurityActivity($first: Int!, $after: String) {\n    viewer {\n      id\n      auditEvents(first: $first, after: $after) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            id\n            type\n            ip\n            userAgent\n            count\n            reason\n            createdAt\n          }\n        }\n      }\n    }\n  }\n": types.SecurityActivityDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      email\n      firstName\n      lastName\n      avatarUrl\n      role\n      createdAt\n    }\n  }\n": types.ViewerDocument,
    "\n  query Appearance {\n    tenantSettings {\n      maintenanceBanner\n    }\n    viewer {\n      id\n      firstName\n      lastName\n      avatarUrl\n      role\n      preferences {\n        app {\n          currency\n          theme\n        }\n      }\n    }\n  }\n": types.AppearanceDocument,
    "\n  fragment ValuationRulesetFields on ValuationRuleset {\n    id\n    name\n    isActive\n    updatedAt\n    rules {\n      attribute\n      operator\n      number\n      text\n      condition\n      adjustment\n      amount\n      factor\n      label\n      description\n    }\n  }\n": types.ValuationRulesetFieldsFragmentDoc,
    "\n  query ValuationRulesets($first: Int, $after: String) {\n    valuationRulesets(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ValuationRulesetFields\n        }\n      }\n    }\n  }\n": types.ValuationRulesetsDocument,
    "\n  query ValuationRuleset($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on ValuationRuleset {\n        ...ValuationRulesetFields\n      }\n    }\n    valuationRulesets(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n        }\n      }\n    }\n  }\n": types.ValuationRulesetDocument,
    "\n  mutation CreateValuationRuleset($input: CreateValuationRulesetInput!) {\n    createValuationRuleset(input: $input) {\n      valuationRuleset {\n        id\n        name\n      }\n    }\n  }\n": types.CreateValuationRulesetDocument,
    "\n  mutation UpdateValuationRuleset($input: UpdateValuationRulesetInput!) {\n    updateValuationRuleset(input: $input) {\n      valuationRuleset {\n        id\n        name\n      }\n    }\n  }\n": types.UpdateValuationRulesetDocument,
    "\n  mutation ActivateValuationRuleset($input: ActivateValuationRulesetInput!) {\n    activateValuationRuleset(input: $input) {\n      valuationRuleset {\n        id\n        isActive\n      }\n    }\n  }\n": types.ActivateValuationRulesetDocument,
    "\n  mutation DeleteValuationRuleset($input: DeleteValuationRulesetInput!) {\n    deleteValuationRuleset(input: $input) {\n      deletedValuationRulesetId\n    }\n  }\n": types.DeleteValuationRulesetDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminViewer {\n    viewer {\n      id\n      role\n    }\n  }\n"): (typeof documents)["\n  query AdminViewer {\n    viewer {\n      id\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users(\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $search: String\n    $filter: UserFilter\n    $orderBy: UserOrder\n  ) {\n    users(\n      first: $first\n      after: $after\n      last: $last\n      before: $before\n      search: $search\n      filter: $filter\n      orderBy: $orderBy\n    ) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          email\n          firstName\n          lastName\n          role\n          status\n          lastSignInAt\n          createdAt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Users(\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $search: String\n    $filter: UserFilter\n    $orderBy: UserOrder\n  ) {\n    users(\n      first: $first\n      after: $after\n      last: $last\n      before: $before\n      search: $search\n      filter: $filter\n      orderBy: $orderBy\n    ) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          id\n          email\n          firstName\n          lastName\n          role\n          status\n          lastSignInAt\n          createdAt\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AdminAuditEventFields on AuditEvent {\n    id\n    type\n    actor {\n      id\n      email\n      firstName\n      lastName\n    }\n    subject {\n      id\n      email\n      firstName\n      lastName\n    }\n    ip\n    userAgent\n    count\n    reason\n    createdAt\n  }\n"): (typeof documents)["\n  fragment AdminAuditEventFields on AuditEvent {\n    id\n    type\n    actor {\n      id\n      email\n      firstName\n      lastName\n    }\n    subject {\n      id\n      email\n      firstName\n      lastName\n    }\n    ip\n    userAgent\n    count\n    reason\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminUser($id: ID!) {\n    viewer {\n      id\n    }\n    user(id: $id) {\n      id\n      email\n      firstName\n      lastName\n      avatarUrl\n      role\n      status\n      active\n      deletedAt\n      lastSignInAt\n      createdAt\n      updatedAt\n      listingCount\n      collectionCount\n      apiKeyCount\n      auditEvents(first: 20) {\n        edges {\n          node {\n            id\n            type\n            actor {\n              id\n              email\n              firstName\n              lastName\n            }\n            ip\n            userAgent\n            count\n            reason\n            createdAt\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminUser($id: ID!) {\n    viewer {\n      id\n    }\n    user(id: $id) {\n      id\n      email\n      firstName\n      lastName\n      avatarUrl\n      role\n      status\n      active\n      deletedAt\n      lastSignInAt\n      createdAt\n      updatedAt\n      listingCount\n      collectionCount\n      apiKeyCount\n      auditEvents(first: 20) {\n        edges {\n          node {\n            id\n            type\n            actor {\n              id\n              email\n              firstName\n              lastName\n            }\n            ip\n            userAgent\n            count\n            reason\n            createdAt\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUserRole($input: SetUserRoleInput!) {\n    setUserRole(input: $input) {\n      user {\n        id\n        role\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SetUserRole($input: SetUserRoleInput!) {\n    setUserRole(input: $input) {\n      user {\n        id\n        role\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeactivateUser($input: DeactivateUserInput!) {\n    deactivateUser(input: $input) {\n      user {\n        id\n        active\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DeactivateUser($input: DeactivateUserInput!) {\n    deactivateUser(input: $input) {\n      user {\n        id\n        active\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReactivateUser($input: ReactivateUserInput!) {\n    reactivateUser(input: $input) {\n      user {\n        id\n        active\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ReactivateUser($input: ReactivateUserInput!) {\n    reactivateUser(input: $input) {\n      user {\n        id\n        active\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TenantSettingsFields on TenantSettings {\n    signupsEnabled\n    maintenanceBanner\n    maxApiKeysPerUser\n    collectionSharingEnabled\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment TenantSettingsFields on TenantSettings {\n    signupsEnabled\n    maintenanceBanner\n    maxApiKeysPerUser\n    collectionSharingEnabled\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TenantSettings {\n    tenantSettings {\n      ...TenantSettingsFields\n    }\n  }\n"): (typeof documents)["\n  query TenantSettings {\n    tenantSettings {\n      ...TenantSettingsFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateTenantSettings($input: UpdateTenantSettingsInput!) {\n    updateTenantSettings(input: $input) {\n      tenantSettings {\n        ...TenantSettingsFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateTenantSettings($input: UpdateTenantSettingsInput!) {\n    updateTenantSettings(input: $input) {\n      tenantSettings {\n        ...TenantSettingsFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEvents($filter: AuditEventFilter, $first: Int, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...AdminAuditEventFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditEvents($filter: AuditEventFilter, $first: Int, $after: String) {\n    auditEvents(filter: $filter, first: $first, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...AdminAuditEventFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PageInfoFields on PageInfo {\n    hasNextPage\n    hasPreviousPage\n    startCursor\n    endCursor\n  }\n"): (typeof documents)["\n  fragment PageInfoFields on PageInfo {\n    hasNextPage\n    hasPreviousPage\n    startCursor\n    endCursor\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Collections(\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $sharedFirst: Int\n    $sharedAfter: String\n    $sharedLast: Int\n    $sharedBefore: String\n  ) {\n    collections(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          itemCount\n        }\n      }\n    }\n    sharedCollections(first: $sharedFirst, after: $sharedAfter, last: $sharedLast, before: $sharedBefore) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      edges {\n        node {\n          id\n          name\n          ownerName\n          itemCount\n          viewerPermission\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Collections(\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $sharedFirst: Int\n    $sharedAfter: String\n    $sharedLast: Int\n    $sharedBefore: String\n  ) {\n    collections(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      edges {\n        node {\n          id\n          name\n          description\n          itemCount\n        }\n      }\n    }\n    sharedCollections(first: $sharedFirst, after: $sharedAfter, last: $sharedLast, before: $sharedBefore) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      edges {\n        node {\n          id\n          name\n          ownerName\n          itemCount\n          viewerPermission\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Collection($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    node(id: $id) {\n      __typename\n      ... on Collection {\n        id\n        name\n        description\n        ownerName\n        viewerPermission\n        itemCount\n        items(first: $first, after: $after, last: $last, before: $before) {\n          totalCount\n          # PageInfoFields' fields, written out: the API's cost limit (5000) counts a fragment spread as one\n          # more level, and this query (4973, most of it the listing fields five levels deep) would go over.\n          pageInfo {\n            hasNextPage\n            hasPreviousPage\n            startCursor\n            endCursor\n          }\n          edges {\n            node {\n              id\n              note\n              position\n              addedByViewer\n              listing {\n                id\n                title\n                url\n                price\n                condition\n                cpu\n                gpu\n                ramGb\n                storageGb\n              }\n            }\n          }\n        }\n        shares(first: 100) {\n          totalCount\n          edges {\n            node {\n              id\n              email\n              permission\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Collection($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {\n    node(id: $id) {\n      __typename\n      ... on Collection {\n        id\n        name\n        description\n        ownerName\n        viewerPermission\n        itemCount\n        items(first: $first, after: $after, last: $last, before: $before) {\n          totalCount\n          # PageInfoFields' fields, written out: the API's cost limit (5000) counts a fragment spread as one\n          # more level, and this query (4973, most of it the listing fields five levels deep) would go over.\n          pageInfo {\n            hasNextPage\n            hasPreviousPage\n            startCursor\n            endCursor\n          }\n          edges {\n            node {\n              id\n              note\n              position\n              addedByViewer\n              listing {\n                id\n                title\n                url\n                price\n                condition\n                cpu\n                gpu\n                ramGb\n                storageGb\n              }\n            }\n          }\n        }\n        shares(first: 100) {\n          totalCount\n          edges {\n            node {\n              id\n              email\n              permission\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AddableListings {\n    listings(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          title\n          price\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AddableListings {\n    listings(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          title\n          price\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateCollection($input: CreateCollectionInput!) {\n    createCollection(input: $input) {\n      collection {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateCollection($input: CreateCollectionInput!) {\n    createCollection(input: $input) {\n      collection {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateCollection($input: UpdateCollectionInput!) {\n    updateCollection(input: $input) {\n      collection {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateCollection($input: UpdateCollectionInput!) {\n    updateCollection(input: $input) {\n      collection {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteCollection($input: DeleteCollectionInput!) {\n    deleteCollection(input: $input) {\n      deletedCollectionId\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteCollection($input: DeleteCollectionInput!) {\n    deleteCollection(input: $input) {\n      deletedCollectionId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddCollectionItem($input: AddCollectionItemInput!) {\n    addCollectionItem(input: $input) {\n      collectionItem {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AddCollectionItem($input: AddCollectionItemInput!) {\n    addCollectionItem(input: $input) {\n      collectionItem {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveCollectionItem($input: RemoveCollectionItemInput!) {\n    removeCollectionItem(input: $input) {\n      removedCollectionItemId\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveCollectionItem($input: RemoveCollectionItemInput!) {\n    removeCollectionItem(input: $input) {\n      removedCollectionItemId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateCollectionItem($input: UpdateCollectionItemInput!) {\n    updateCollectionItem(input: $input) {\n      collectionItem {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateCollectionItem($input: UpdateCollectionItemInput!) {\n    updateCollectionItem(input: $input) {\n      collectionItem {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MoveCollectionItem($input: MoveCollectionItemInput!) {\n    moveCollectionItem(input: $input) {\n      collectionItem {\n        id\n        position\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation MoveCollectionItem($input: MoveCollectionItemInput!) {\n    moveCollectionItem(input: $input) {\n      collectionItem {\n        id\n        position\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ShareCollection($input: ShareCollectionInput!) {\n    shareCollection(input: $input) {\n      collection {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ShareCollection($input: ShareCollectionInput!) {\n    shareCollection(input: $input) {\n      collection {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeCollectionShare($input: RevokeCollectionShareInput!) {\n    revokeCollectionShare(input: $input) {\n      collection {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeCollectionShare($input: RevokeCollectionShareInput!) {\n    revokeCollectionShare(input: $input) {\n      collection {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ListingFields on Listing {\n    id\n    title\n    url\n    price\n    condition\n    cpu\n    gpu\n    ramGb\n    storageGb\n    notes\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment ListingFields on Listing {\n    id\n    title\n    url\n    price\n    condition\n    cpu\n    gpu\n    ramGb\n    storageGb\n    notes\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Listings($first: Int, $after: String, $last: Int, $before: String, $orderBy: ListingOrder) {\n    viewer {\n      id\n      role\n    }\n    defaultScoringProfile {\n      id\n      name\n    }\n    activeValuationRuleset {\n      id\n      name\n    }\n    listings(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          ...ListingFields\n          score\n          valuation {\n            value\n            delta\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Listings($first: Int, $after: String, $last: Int, $before: String, $orderBy: ListingOrder) {\n    viewer {\n      id\n      role\n    }\n    defaultScoringProfile {\n      id\n      name\n    }\n    activeValuationRuleset {\n      id\n      name\n    }\n    listings(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          ...ListingFields\n          score\n          valuation {\n            value\n            delta\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListingOrderOptions {\n    defaultScoringProfile {\n      id\n    }\n    activeValuationRuleset {\n      id\n    }\n  }\n"): (typeof documents)["\n  query ListingOrderOptions {\n    defaultScoringProfile {\n      id\n    }\n    activeValuationRuleset {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Listing($id: ID!) {\n    listing(id: $id) {\n      ...ListingFields\n    }\n  }\n"): (typeof documents)["\n  query Listing($id: ID!) {\n    listing(id: $id) {\n      ...ListingFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateListing($input: CreateListingInput!) {\n    createListing(input: $input) {\n      listing {\n        id\n        title\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateListing($input: CreateListingInput!) {\n    createListing(input: $input) {\n      listing {\n        id\n        title\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateListing($id: ID!, $input: UpdateListingInput!) {\n    updateListing(id: $id, input: $input) {\n      listing {\n        id\n        title\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateListing($id: ID!, $input: UpdateListingInput!) {\n    updateListing(id: $id, input: $input) {\n      listing {\n        id\n        title\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteListing($id: ID!) {\n    deleteListing(id: $id) {\n      deletedListingId\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteListing($id: ID!) {\n    deleteListing(id: $id) {\n      deletedListingId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ScoringProfileFields on ScoringProfile {\n    id\n    name\n    isDefault\n    updatedAt\n    weights {\n      price\n      cpu\n      gpu\n      ram\n      storage\n      condition\n    }\n  }\n"): (typeof documents)["\n  fragment ScoringProfileFields on ScoringProfile {\n    id\n    name\n    isDefault\n    updatedAt\n    weights {\n      price\n      cpu\n      gpu\n      ram\n      storage\n      condition\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ScoringProfiles($first: Int, $after: String) {\n    scoringProfiles(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ScoringProfileFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ScoringProfiles($first: Int, $after: String) {\n    scoringProfiles(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ScoringProfileFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ScoringProfile($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on ScoringProfile {\n        ...ScoringProfileFields\n      }\n    }\n    scoringProfiles(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ScoringProfile($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on ScoringProfile {\n        ...ScoringProfileFields\n      }\n    }\n    scoringProfiles(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateScoringProfile($input: CreateScoringProfileInput!) {\n    createScoringProfile(input: $input) {\n      scoringProfile {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateScoringProfile($input: CreateScoringProfileInput!) {\n    createScoringProfile(input: $input) {\n      scoringProfile {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateScoringProfile($input: UpdateScoringProfileInput!) {\n    updateScoringProfile(input: $input) {\n      scoringProfile {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateScoringProfile($input: UpdateScoringProfileInput!) {\n    updateScoringProfile(input: $input) {\n      scoringProfile {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetDefaultScoringProfile($input: SetDefaultScoringProfileInput!) {\n    setDefaultScoringProfile(input: $input) {\n      scoringProfile {\n        id\n        isDefault\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SetDefaultScoringProfile($input: SetDefaultScoringProfileInput!) {\n    setDefaultScoringProfile(input: $input) {\n      scoringProfile {\n        id\n        isDefault\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteScoringProfile($input: DeleteScoringProfileInput!) {\n    deleteScoringProfile(input: $input) {\n      deletedScoringProfileId\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteScoringProfile($input: DeleteScoringProfileInput!) {\n    deleteScoringProfile(input: $input) {\n      deletedScoringProfileId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Settings($keys: Int!, $choices: Int!) {\n    tenantSettings {\n      maxApiKeysPerUser\n    }\n    viewer {\n      id\n      email\n      firstName\n      lastName\n      avatarUrl\n      role\n      createdAt\n      preferences {\n        notifications {\n          securityAlerts\n          collectionShared\n          weeklyDigest\n        }\n        app {\n          currency\n          theme\n          defaultScoringProfile {\n            id\n          }\n          defaultValuationRuleset {\n            id\n          }\n        }\n      }\n      apiKeys(first: $keys) {\n        edges {\n          node {\n            id\n            name\n            prefix\n            scopes\n            createdAt\n            expiresAt\n            lastUsedAt\n            revokedAt\n          }\n        }\n      }\n    }\n    scoringProfiles(first: $choices) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n    valuationRulesets(first: $choices) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Settings($keys: Int!, $choices: Int!) {\n    tenantSettings {\n      maxApiKeysPerUser\n    }\n    viewer {\n      id\n      email\n      firstName\n      lastName\n      avatarUrl\n      role\n      createdAt\n      preferences {\n        notifications {\n          securityAlerts\n          collectionShared\n          weeklyDigest\n        }\n        app {\n          currency\n          theme\n          defaultScoringProfile {\n            id\n          }\n          defaultValuationRuleset {\n            id\n          }\n        }\n      }\n      apiKeys(first: $keys) {\n        edges {\n          node {\n            id\n            name\n            prefix\n            scopes\n            createdAt\n            expiresAt\n            lastUsedAt\n            revokedAt\n          }\n        }\n      }\n    }\n    scoringProfiles(first: $choices) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n    valuationRulesets(first: $choices) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sessions {\n    viewer {\n      id\n      sessions {\n        id\n        browser\n        device\n        createdAt\n        lastActiveAt\n        current\n      }\n    }\n  }\n"): (typeof documents)["\n  query Sessions {\n    viewer {\n      id\n      sessions {\n        id\n        browser\n        device\n        createdAt\n        lastActiveAt\n        current\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      user {\n        id\n        firstName\n        lastName\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) {\n      user {\n        id\n        firstName\n        lastName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateProfileImage($input: UpdateProfileImageInput!) {\n    updateProfileImage(input: $input) {\n      user {\n        id\n        avatarUrl\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateProfileImage($input: UpdateProfileImageInput!) {\n    updateProfileImage(input: $input) {\n      user {\n        id\n        avatarUrl\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveProfileImage {\n    removeProfileImage {\n      user {\n        id\n        avatarUrl\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RemoveProfileImage {\n    removeProfileImage {\n      user {\n        id\n        avatarUrl\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdatePreferences($input: UpdatePreferencesInput!) {\n    updatePreferences(input: $input) {\n      user {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdatePreferences($input: UpdatePreferencesInput!) {\n    updatePreferences(input: $input) {\n      user {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeSession($input: RevokeSessionInput!) {\n    revokeSession(input: $input) {\n      sessionId\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeSession($input: RevokeSessionInput!) {\n    revokeSession(input: $input) {\n      sessionId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      apiKey {\n        id\n        name\n        prefix\n        scopes\n        expiresAt\n      }\n      secret\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      apiKey {\n        id\n        name\n        prefix\n        scopes\n        expiresAt\n      }\n      secret\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiKey($input: RevokeApiKeyInput!) {\n    revokeApiKey(input: $input) {\n      apiKey {\n        id\n        revokedAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeApiKey($input: RevokeApiKeyInput!) {\n    revokeApiKey(input: $input) {\n      apiKey {\n        id\n        revokedAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SecurityActivity($first: Int!, $after: String) {\n    viewer {\n      id\n      auditEvents(first: $first, after: $after) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            id\n            type\n            ip\n            userAgent\n            count\n            reason\n            createdAt\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SecurityActivity($first: Int!, $after: String) {\n    viewer {\n      id\n      auditEvents(first: $first, after: $after) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            id\n            type\n            ip\n            userAgent\n            count\n            reason\n            createdAt\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      id\n      email\n      firstName\n      lastName\n      avatarUrl\n      role\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      id\n      email\n      firstName\n      lastName\n      avatarUrl\n      role\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Appearance {\n    tenantSettings {\n      maintenanceBanner\n    }\n    viewer {\n      id\n      firstName\n      lastName\n      avatarUrl\n      role\n      preferences {\n        app {\n          currency\n          theme\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Appearance {\n    tenantSettings {\n      maintenanceBanner\n    }\n    viewer {\n      id\n      firstName\n      lastName\n      avatarUrl\n      role\n      preferences {\n        app {\n          currency\n          theme\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ValuationRulesetFields on ValuationRuleset {\n    id\n    name\n    isActive\n    updatedAt\n    rules {\n      attribute\n      operator\n      number\n      text\n      condition\n      adjustment\n      amount\n      factor\n      label\n      description\n    }\n  }\n"): (typeof documents)["\n  fragment ValuationRulesetFields on ValuationRuleset {\n    id\n    name\n    isActive\n    updatedAt\n    rules {\n      attribute\n      operator\n      number\n      text\n      condition\n      adjustment\n      amount\n      factor\n      label\n      description\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ValuationRulesets($first: Int, $after: String) {\n    valuationRulesets(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ValuationRulesetFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ValuationRulesets($first: Int, $after: String) {\n    valuationRulesets(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          ...ValuationRulesetFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ValuationRuleset($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on ValuationRuleset {\n        ...ValuationRulesetFields\n      }\n    }\n    valuationRulesets(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ValuationRuleset($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on ValuationRuleset {\n        ...ValuationRulesetFields\n      }\n    }\n    valuationRulesets(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateValuationRuleset($input: CreateValuationRulesetInput!) {\n    createValuationRuleset(input: $input) {\n      valuationRuleset {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateValuationRuleset($input: CreateValuationRulesetInput!) {\n    createValuationRuleset(input: $input) {\n      valuationRuleset {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateValuationRuleset($input: UpdateValuationRulesetInput!) {\n    updateValuationRuleset(input: $input) {\n      valuationRuleset {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateValuationRuleset($input: UpdateValuationRulesetInput!) {\n    updateValuationRuleset(input: $input) {\n      valuationRuleset {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ActivateValuationRuleset($input: ActivateValuationRulesetInput!) {\n    activateValuationRuleset(input: $input) {\n      valuationRuleset {\n        id\n        isActive\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ActivateValuationRuleset($input: ActivateValuationRulesetInput!) {\n    activateValuationRuleset(input: $input) {\n      valuationRuleset {\n        id\n        isActive\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteValuationRuleset($input: DeleteValuationRulesetInput!) {\n    deleteValuationRuleset(input: $input) {\n      deletedValuationRulesetId\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteValuationRuleset($input: DeleteValuationRulesetInput!) {\n    deleteValuationRuleset(input: $input) {\n      deletedValuationRulesetId\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;