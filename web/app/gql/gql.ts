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
    "\n  fragment ListingFields on Listing {\n    id\n    title\n    url\n    price\n    condition\n    cpu\n    gpu\n    ramGb\n    storageGb\n    notes\n    updatedAt\n  }\n": typeof types.ListingFieldsFragmentDoc,
    "\n  query Listings($first: Int, $after: String, $last: Int, $before: String) {\n    viewer {\n      id\n      role\n    }\n    listings(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          ...ListingFields\n        }\n      }\n    }\n  }\n": typeof types.ListingsDocument,
    "\n  query Listing($id: ID!) {\n    listing(id: $id) {\n      ...ListingFields\n    }\n  }\n": typeof types.ListingDocument,
    "\n  mutation CreateListing($input: CreateListingInput!) {\n    createListing(input: $input) {\n      listing {\n        id\n        title\n      }\n    }\n  }\n": typeof types.CreateListingDocument,
    "\n  mutation UpdateListing($id: ID!, $input: UpdateListingInput!) {\n    updateListing(id: $id, input: $input) {\n      listing {\n        id\n        title\n      }\n    }\n  }\n": typeof types.UpdateListingDocument,
    "\n  mutation DeleteListing($id: ID!) {\n    deleteListing(id: $id) {\n      deletedListingId\n    }\n  }\n": typeof types.DeleteListingDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      email\n      firstName\n      lastName\n      avatarUrl\n      role\n      createdAt\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  query Users($first: Int!, $after: String) {\n    users(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          email\n          firstName\n          lastName\n          role\n          createdAt\n        }\n      }\n    }\n  }\n": typeof types.UsersDocument,
};
const documents: Documents = {
    "\n  fragment ListingFields on Listing {\n    id\n    title\n    url\n    price\n    condition\n    cpu\n    gpu\n    ramGb\n    storageGb\n    notes\n    updatedAt\n  }\n": types.ListingFieldsFragmentDoc,
    "\n  query Listings($first: Int, $after: String, $last: Int, $before: String) {\n    viewer {\n      id\n      role\n    }\n    listings(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          ...ListingFields\n        }\n      }\n    }\n  }\n": types.ListingsDocument,
    "\n  query Listing($id: ID!) {\n    listing(id: $id) {\n      ...ListingFields\n    }\n  }\n": types.ListingDocument,
    "\n  mutation CreateListing($input: CreateListingInput!) {\n    createListing(input: $input) {\n      listing {\n        id\n        title\n      }\n    }\n  }\n": types.CreateListingDocument,
    "\n  mutation UpdateListing($id: ID!, $input: UpdateListingInput!) {\n    updateListing(id: $id, input: $input) {\n      listing {\n        id\n        title\n      }\n    }\n  }\n": types.UpdateListingDocument,
    "\n  mutation DeleteListing($id: ID!) {\n    deleteListing(id: $id) {\n      deletedListingId\n    }\n  }\n": types.DeleteListingDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      email\n      firstName\n      lastName\n      avatarUrl\n      role\n      createdAt\n    }\n  }\n": types.ViewerDocument,
    "\n  query Users($first: Int!, $after: String) {\n    users(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          email\n          firstName\n          lastName\n          role\n          createdAt\n        }\n      }\n    }\n  }\n": types.UsersDocument,
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
export function graphql(source: "\n  fragment ListingFields on Listing {\n    id\n    title\n    url\n    price\n    condition\n    cpu\n    gpu\n    ramGb\n    storageGb\n    notes\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment ListingFields on Listing {\n    id\n    title\n    url\n    price\n    condition\n    cpu\n    gpu\n    ramGb\n    storageGb\n    notes\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Listings($first: Int, $after: String, $last: Int, $before: String) {\n    viewer {\n      id\n      role\n    }\n    listings(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          ...ListingFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Listings($first: Int, $after: String, $last: Int, $before: String) {\n    viewer {\n      id\n      role\n    }\n    listings(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n      edges {\n        node {\n          ...ListingFields\n        }\n      }\n    }\n  }\n"];
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
export function graphql(source: "\n  query Viewer {\n    viewer {\n      id\n      email\n      firstName\n      lastName\n      avatarUrl\n      role\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      id\n      email\n      firstName\n      lastName\n      avatarUrl\n      role\n      createdAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users($first: Int!, $after: String) {\n    users(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          email\n          firstName\n          lastName\n          role\n          createdAt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Users($first: Int!, $after: String) {\n    users(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          email\n          firstName\n          lastName\n          role\n          createdAt\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;