// The valuation pages' GraphQL operations, typed from schema.graphql by `npm run codegen`.
import { graphql } from '~/gql';

export const ValuationRulesetFieldsFragment = graphql(`
  fragment ValuationRulesetFields on ValuationRuleset {
    id
    name
    isActive
    updatedAt
    rules {
      attribute
      operator
      number
      text
      condition
      adjustment
      amount
      factor
      label
      description
    }
  }
`);

export const ValuationRulesetsQuery = graphql(`
  query ValuationRulesets($first: Int, $after: String) {
    valuationRulesets(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...ValuationRulesetFields
        }
      }
    }
  }
`);

/**
 * One ruleset by id. `node` alone would also answer an admin with someone else's ruleset (admins read
 * every row); the editor shows the viewer's own only, so it checks the id against their own list too.
 */
export const ValuationRulesetQuery = graphql(`
  query ValuationRuleset($id: ID!) {
    node(id: $id) {
      __typename
      ... on ValuationRuleset {
        ...ValuationRulesetFields
      }
    }
    valuationRulesets(first: 100) {
      totalCount
      edges {
        node {
          id
        }
      }
    }
  }
`);

export const CreateValuationRulesetMutation = graphql(`
  mutation CreateValuationRuleset($input: CreateValuationRulesetInput!) {
    createValuationRuleset(input: $input) {
      valuationRuleset {
        id
        name
      }
    }
  }
`);

export const UpdateValuationRulesetMutation = graphql(`
  mutation UpdateValuationRuleset($input: UpdateValuationRulesetInput!) {
    updateValuationRuleset(input: $input) {
      valuationRuleset {
        id
        name
      }
    }
  }
`);

export const ActivateValuationRulesetMutation = graphql(`
  mutation ActivateValuationRuleset($input: ActivateValuationRulesetInput!) {
    activateValuationRuleset(input: $input) {
      valuationRuleset {
        id
        isActive
      }
    }
  }
`);

export const DeleteValuationRulesetMutation = graphql(`
  mutation DeleteValuationRuleset($input: DeleteValuationRulesetInput!) {
    deleteValuationRuleset(input: $input) {
      deletedValuationRulesetId
    }
  }
`);
