// The error shape GraphQL clients parse, for the answers the HTTP layer gives instead of Yoga.
import type { ServerResponse } from 'node:http';
import type { ErrorCode } from '@deal-brain/shared/error-codes';
import { sendJson } from './send-json.js';

export function sendGraphQLError(
  res: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] }, headers);
}
