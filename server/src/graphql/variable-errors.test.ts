import { describe, expect, it } from 'vitest';
import { variableIssue } from './variable-errors.js';

describe('variableIssue', () => {
  it.each([
    [
      'Variable "$input" got invalid value { smsAlerts: true } at "input.notifications"; Field "smsAlerts" is not defined by type "NotificationPreferencesInput".',
      'input.notifications.smsAlerts',
      'Field "smsAlerts" is not defined by type "NotificationPreferencesInput".',
    ],
    [
      'Variable "$input" got invalid value { x: 1 }; Field "x" is not defined by type "UpdatePreferencesInput".',
      'input.x',
      'Field "x" is not defined by type "UpdatePreferencesInput".',
    ],
    [
      'Variable "$input" got invalid value "yes" at "input.notifications.weeklyDigest"; Boolean cannot represent a non boolean value: "yes"',
      'input.notifications.weeklyDigest',
      'Boolean cannot represent a non boolean value: "yes"',
    ],
    [
      'Variable "$input" got invalid value {} at "input.rules[1]"; Field "attribute" of required type "RuleAttribute!" was not provided.',
      'input.rules.1.attribute',
      'Field "attribute" of required type "RuleAttribute!" was not provided.',
    ],
    [
      'Variable "$data" got invalid value "a; b" at "data.name"; String cannot represent a non string value',
      'data.name',
      'String cannot represent a non string value',
    ],
    [
      'Variable "$input" got invalid value { name: "x\\" at \\"input.y\\"; z" } at "input.app"; Field "name" is not defined by type "AppPreferencesInput".',
      'input.app.name',
      'Field "name" is not defined by type "AppPreferencesInput".',
    ],
    [
      'Variable "$input" got invalid value ["a; b"]; Expected type "UpdatePreferencesInput" to be an object.',
      'input',
      'Expected type "UpdatePreferencesInput" to be an object.',
    ],
    [
      'Variable "$input" of required type "UpdatePreferencesInput!" was not provided.',
      'input',
      'Variable "$input" of required type "UpdatePreferencesInput!" was not provided.',
    ],
    [
      'Variable "$input" of non-null type "UpdateProfileInput!" must not be null.',
      'input',
      'Variable "$input" of non-null type "UpdateProfileInput!" must not be null.',
    ],
  ])('reads %s', (message, path, reason) => {
    expect(variableIssue(message)).toEqual({ path, message: reason });
  });

  it.each(['Cannot query field "x" on type "Query".', 'Unexpected error.', 'Variable "$x" is never used.'])(
    'leaves other errors alone: %s',
    (message) => {
      expect(variableIssue(message)).toBeUndefined();
    },
  );
});
