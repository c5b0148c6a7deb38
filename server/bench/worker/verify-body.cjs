// autocannon `verifyBody`, loaded by path inside autocannon's worker thread: a response counts as a
// mismatch unless it is the owner's first page (totalCount 50, 20 edges) with no GraphQL errors.
/* global module */
'use strict';

const EXPECTED_TOTAL = '"totalCount":50,';
const EXPECTED_EDGES = 20;

module.exports = function verifyBody(body) {
  if (!body.includes(EXPECTED_TOTAL) || body.includes('"errors"')) return false;
  return body.split('"node":{').length - 1 === EXPECTED_EDGES;
};
