/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type CreateListingInput = {
  condition?: ListingCondition | null | undefined;
  cpu?: string | null | undefined;
  gpu?: string | null | undefined;
  notes?: string | null | undefined;
  price: string;
  ramGb?: number | null | undefined;
  storageGb?: number | null | undefined;
  title: string;
  url?: string | null | undefined;
};

export type ListingCondition =
  | 'FOR_PARTS'
  | 'LIKE_NEW'
  | 'NEW'
  | 'REFURBISHED'
  | 'USED';

export type WhoAmIQueryVariables = Exact<{ [key: string]: never; }>;


export type WhoAmIQuery = { viewer: { email: string | null, firstName: string | null, lastName: string | null } };

export type RecentListingsQueryVariables = Exact<{
  first: number;
}>;


export type RecentListingsQuery = { listings: { totalCount: number, edges: Array<{ node: { id: string, title: string, price: string, createdAt: string } }> } };

export type AddListingMutationVariables = Exact<{
  input: CreateListingInput;
}>;


export type AddListingMutation = { createListing: { listing: { id: string, title: string, price: string } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const WhoAmIDocument = new TypedDocumentString(`
    query WhoAmI {
  viewer {
    email
    firstName
    lastName
  }
}
    `) as unknown as TypedDocumentString<WhoAmIQuery, WhoAmIQueryVariables>;
export const RecentListingsDocument = new TypedDocumentString(`
    query RecentListings($first: Int!) {
  listings(first: $first) {
    totalCount
    edges {
      node {
        id
        title
        price
        createdAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RecentListingsQuery, RecentListingsQueryVariables>;
export const AddListingDocument = new TypedDocumentString(`
    mutation AddListing($input: CreateListingInput!) {
  createListing(input: $input) {
    listing {
      id
      title
      price
    }
  }
}
    `) as unknown as TypedDocumentString<AddListingMutation, AddListingMutationVariables>;