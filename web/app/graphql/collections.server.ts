// The collections pages' GraphQL operations, typed from schema.graphql by `npm run codegen`.
import { graphql } from '~/gql';

/**
 * A connection's page cursors: what the collections pages' pagination links need. (Each spread costs a
 * little against the API's query cost limit; the Collection query has no room for it.)
 */
export const PageInfoFieldsFragment = graphql(`
  fragment PageInfoFields on PageInfo {
    hasNextPage
    hasPreviousPage
    startCursor
    endCursor
  }
`);

export const CollectionsQuery = graphql(`
  query Collections(
    $first: Int
    $after: String
    $last: Int
    $before: String
    $sharedFirst: Int
    $sharedAfter: String
    $sharedLast: Int
    $sharedBefore: String
  ) {
    collections(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo {
        ...PageInfoFields
      }
      edges {
        node {
          id
          name
          description
          itemCount
        }
      }
    }
    sharedCollections(first: $sharedFirst, after: $sharedAfter, last: $sharedLast, before: $sharedBefore) {
      totalCount
      pageInfo {
        ...PageInfoFields
      }
      edges {
        node {
          id
          name
          ownerName
          itemCount
          viewerPermission
        }
      }
    }
  }
`);

export const CollectionQuery = graphql(`
  query Collection($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
    node(id: $id) {
      __typename
      ... on Collection {
        id
        name
        description
        ownerName
        viewerPermission
        itemCount
        items(first: $first, after: $after, last: $last, before: $before) {
          totalCount
          # PageInfoFields' fields, written out: the API's cost limit (5000) counts a fragment spread as one
          # more level, and this query (4973, most of it the listing fields five levels deep) would go over.
          pageInfo {
            hasNextPage
            hasPreviousPage
            startCursor
            endCursor
          }
          edges {
            node {
              id
              note
              position
              addedByViewer
              listing {
                id
                title
                url
                price
                condition
                cpu
                gpu
                ramGb
                storageGb
              }
            }
          }
        }
        shares(first: 100) {
          totalCount
          edges {
            node {
              id
              email
              permission
            }
          }
        }
      }
    }
  }
`);

/** The viewer's own listings, for the "Add a listing" form. */
export const AddableListingsQuery = graphql(`
  query AddableListings {
    listings(first: 100) {
      totalCount
      edges {
        node {
          id
          title
          price
        }
      }
    }
  }
`);

export const CreateCollectionMutation = graphql(`
  mutation CreateCollection($input: CreateCollectionInput!) {
    createCollection(input: $input) {
      collection {
        id
      }
    }
  }
`);

export const UpdateCollectionMutation = graphql(`
  mutation UpdateCollection($input: UpdateCollectionInput!) {
    updateCollection(input: $input) {
      collection {
        id
      }
    }
  }
`);

export const DeleteCollectionMutation = graphql(`
  mutation DeleteCollection($input: DeleteCollectionInput!) {
    deleteCollection(input: $input) {
      deletedCollectionId
    }
  }
`);

export const AddCollectionItemMutation = graphql(`
  mutation AddCollectionItem($input: AddCollectionItemInput!) {
    addCollectionItem(input: $input) {
      collectionItem {
        id
      }
    }
  }
`);

export const RemoveCollectionItemMutation = graphql(`
  mutation RemoveCollectionItem($input: RemoveCollectionItemInput!) {
    removeCollectionItem(input: $input) {
      removedCollectionItemId
    }
  }
`);

export const UpdateCollectionItemMutation = graphql(`
  mutation UpdateCollectionItem($input: UpdateCollectionItemInput!) {
    updateCollectionItem(input: $input) {
      collectionItem {
        id
      }
    }
  }
`);

export const MoveCollectionItemMutation = graphql(`
  mutation MoveCollectionItem($input: MoveCollectionItemInput!) {
    moveCollectionItem(input: $input) {
      collectionItem {
        id
        position
      }
    }
  }
`);

export const ShareCollectionMutation = graphql(`
  mutation ShareCollection($input: ShareCollectionInput!) {
    shareCollection(input: $input) {
      collection {
        id
      }
    }
  }
`);

export const RevokeCollectionShareMutation = graphql(`
  mutation RevokeCollectionShare($input: RevokeCollectionShareInput!) {
    revokeCollectionShare(input: $input) {
      collection {
        id
      }
    }
  }
`);
