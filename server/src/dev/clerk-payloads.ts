// Clerk-shaped webhook payloads and Backend API users for the local identity provider: the field
// names, nesting and units (milliseconds) Clerk uses, typed by @clerk/backend's own JSON types, so
// local mode exercises exactly the parsing production does.
import type { SessionWebhookEvent, UserJSON, UserWebhookEvent, VerificationJSON } from '@clerk/backend';
import type { LocalIdentity } from './local-identity/identities.js';
import type { LocalSessionRecord } from './local-identity/sessions.js';

export const LOCAL_INSTANCE_ID = 'ins_local';

/** Local identities have one email address; its id is derived so it stays stable across restarts. */
function emailAddressId(identity: LocalIdentity): string {
  return `idn_${identity.clerkId.replace(/^user_/, '')}`;
}

/** A Clerk Backend API user (GET /v1/users/:id), as the webhook's `data` carries it too. */
export function clerkUserJson(identity: LocalIdentity): UserJSON {
  const emailId = emailAddressId(identity);
  return {
    object: 'user',
    id: identity.clerkId,
    username: null,
    first_name: identity.firstName,
    last_name: identity.lastName,
    image_url: identity.imageUrl ?? '',
    has_image: identity.imageUrl !== null,
    primary_email_address_id: emailId,
    primary_phone_number_id: null,
    primary_web3_wallet_id: null,
    password_enabled: false,
    two_factor_enabled: false,
    totp_enabled: false,
    backup_code_enabled: false,
    email_addresses: [
      {
        object: 'email_address',
        id: emailId,
        email_address: identity.email,
        // As Clerk sends it: without the object and id its TypeScript type asks for.
        verification: { status: 'verified', strategy: 'admin', attempts: null, expire_at: null } as VerificationJSON,
        linked_to: [],
      },
    ],
    phone_numbers: [],
    web3_wallets: [],
    organization_memberships: null,
    external_accounts: [],
    saml_accounts: [],
    password_last_updated_at: null,
    public_metadata: {},
    private_metadata: {},
    unsafe_metadata: {},
    external_id: null,
    last_sign_in_at: null,
    banned: identity.banned ?? false,
    locked: false,
    lockout_expires_in_seconds: null,
    verification_attempts_remaining: null,
    created_at: identity.createdAt,
    updated_at: identity.updatedAt,
    last_active_at: null,
    create_organization_enabled: false,
    create_organizations_limit: null,
    delete_self_enabled: true,
    legal_accepted_at: null,
    locale: null,
  } satisfies UserJSON;
}

function envelope<T extends { type: string; data: unknown }>(event: T, now: number) {
  return {
    ...event,
    object: 'event' as const,
    event_attributes: { http_request: { client_ip: '127.0.0.1', user_agent: 'deal-brain-local-auth' } },
    timestamp: now,
    instance_id: LOCAL_INSTANCE_ID,
  };
}

export function userCreatedOrUpdatedEvent(
  type: 'user.created' | 'user.updated',
  identity: LocalIdentity,
  now: number,
): UserWebhookEvent {
  return envelope({ type, data: clerkUserJson(identity) }, now);
}

export function userDeletedEvent(identity: LocalIdentity, now: number): UserWebhookEvent {
  return envelope(
    { type: 'user.deleted' as const, data: { object: 'user', id: identity.clerkId, deleted: true } },
    now,
  );
}

export function sessionEvent(
  type: 'session.created' | 'session.ended',
  session: LocalSessionRecord,
  identity: LocalIdentity | undefined,
  now: number,
): SessionWebhookEvent {
  const endedAt = session.endedAt ?? session.expiresAt;
  return envelope(
    {
      type,
      data: {
        object: 'session',
        id: session.sessionId,
        client_id: `client_${session.sessionId.replace(/^sess_/, '')}`,
        user_id: session.userId,
        status: type === 'session.created' ? 'active' : 'ended',
        actor: null,
        last_active_at: session.endedAt ?? session.createdAt,
        expire_at: session.expiresAt,
        abandon_at: session.expiresAt,
        created_at: session.createdAt,
        updated_at: type === 'session.created' ? session.createdAt : endedAt,
        user: identity ? clerkUserJson(identity) : null,
      },
    },
    now,
  );
}
