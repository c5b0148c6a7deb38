/* eslint-disable */
import * as types from './graphql.js';



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
    "\n  query WhoAmI {\n    viewer {\n      email\n      firstName\n      lastName\n    }\n  }\n": typeof types.WhoAmIDocument,
    "\n  query RecentListings($first: Int!) {\n    listings(first: $first) {\n      totalCount\n      edges {\n        node {\n          id\n          title\n          price\n          createdAt\n        }\n      }\n    }\n  }\n": typeof types.RecentListingsDocument,
    "\n  mutation AddListing($input: CreateListingInput!) {\n    createListing(input: $input) {\n      listing {\n        id\n        title\n        price\n      }\n    }\n  }\n": typeof types.AddListingDocument,
};
const documents: Documents = {
    "\n  query WhoAmI {\n    viewer {\n      email\n      firstName\n      lastName\n    }\n  }\n": types.WhoAmIDocument,
    "\n  query RecentListings($first: Int!) {\n    listings(first: $first) {\n      totalCount\n      edges {\n        node {\n          id\n          title\n          price\n          createdAt\n        }\n      }\n    }\n  }\n": types.RecentListingsDocument,
    "\n  mutation AddListing($input: CreateListingInput!) {\n    createListing(input: $input) {\n      listing {\n        id\n        title\n        price\n      }\n    }\n  }\n": types.AddListingDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WhoAmI {\n    viewer {\n      email\n      firstName\n      lastName\n    }\n  }\n"): typeof import('./graphql.js').WhoAmIDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentListings($first: Int!) {\n    listings(first: $first) {\n      totalCount\n      edges {\n        node {\n          id\n          title\n          price\n          createdAt\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').RecentListingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddListing($input: CreateListingInput!) {\n    createListing(input: $input) {\n      listing {\n        id\n        title\n        price\n      }\n    }\n  }\n"): typeof import('./graphql.js').AddListingDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
