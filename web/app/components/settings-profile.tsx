// Settings → Profile: first and last name, the profile picture (upload or remove), and what cannot be
// changed here (email, role). Each is its own small form posting an `intent`.
import { PROFILE_LIMITS } from '@deal-brain/shared/field-limits';
import { Form } from '@remix-run/react';
import { FormErrors, TextField, buttonClass } from './fields';
import { smallButton, smallDangerButton } from './collection-ui';
import { SettingsSection, type ActionErrors, type FormValues } from './settings-ui';
import { initials } from './user-menu';

export interface Profile {
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  avatarUrl: string | null;
  roleLabel: string;
  memberSince: string;
}

export function ProfileSection({
  profile,
  localMode,
  notice,
  errors,
  values,
  avatarErrors,
  avatarAccept,
  avatarMaxKiB,
  busy,
}: {
  profile: Profile;
  localMode: boolean;
  notice: string | null;
  /** The name form's errors and what it sent, when it failed. */
  errors: ActionErrors;
  values: FormValues | null;
  /** The picture forms' errors (upload or remove). */
  avatarErrors: ActionErrors;
  avatarAccept: string;
  avatarMaxKiB: number;
  busy: boolean;
}) {
  const name = [profile.firstName, profile.lastName].filter(Boolean).join(' ');
  return (
    <SettingsSection
      id="profile"
      title="Profile"
      description={
        localMode
          ? 'Your name and picture. In local identity mode they are kept by the local identity provider.'
          : 'Your name and picture, kept in sync with your account at Clerk.'
      }
      notice={notice}
    >
      <div className="mt-6 flex flex-col gap-6 sm:flex-row sm:items-start">
        <div className="flex shrink-0 flex-col items-start gap-3 sm:w-60">
          {profile.avatarUrl ? (
            <img
              src={profile.avatarUrl}
              alt="Your profile picture"
              width={96}
              height={96}
              className="h-24 w-24 rounded-full border border-slate-200 object-cover"
              data-testid="profile-avatar"
            />
          ) : (
            <span
              aria-hidden="true"
              className="flex h-24 w-24 items-center justify-center rounded-full bg-indigo-600 text-3xl font-semibold text-white"
              data-testid="profile-initials"
            >
              {initials({ ...profile, imageUrl: null })}
            </span>
          )}
          <Form method="post" encType="multipart/form-data" className="w-full space-y-2" aria-label="Profile picture">
            <label htmlFor="field-avatar" className="block text-sm font-medium text-slate-800">
              New picture
            </label>
            <input
              id="field-avatar"
              type="file"
              name="avatar"
              accept={avatarAccept}
              aria-describedby={avatarErrors.avatar ? 'field-avatar-hint field-avatar-error' : 'field-avatar-hint'}
              aria-invalid={avatarErrors.avatar ? true : undefined}
              className="block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-800 dark:file:border-slate-600 dark:file:bg-slate-800 dark:file:text-slate-100"
            />
            <p id="field-avatar-hint" className="text-xs text-slate-500">
              PNG, JPEG, GIF or WebP, at most {avatarMaxKiB} KiB.
            </p>
            {avatarErrors.avatar ? (
              <p id="field-avatar-error" className="text-sm text-red-700" data-testid="error-avatar">
                {avatarErrors.avatar}
              </p>
            ) : null}
            <button type="submit" name="intent" value="upload-avatar" className={smallButton} disabled={busy}>
              Upload picture
            </button>
          </Form>
          {profile.avatarUrl ? (
            <Form method="post">
              <button type="submit" name="intent" value="remove-avatar" className={smallDangerButton} disabled={busy}>
                Remove picture
              </button>
            </Form>
          ) : null}
          <FormErrors message={avatarErrors.form ?? null} />
        </div>

        <div className="min-w-0 flex-1">
          <Form method="post" noValidate className="space-y-4" aria-label="Name">
            <FormErrors message={errors.form ?? null} />
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField
                name="firstName"
                label="First name"
                autoComplete="given-name"
                maxLength={PROFILE_LIMITS.nameLength}
                defaultValue={values?.firstName ?? profile.firstName ?? ''}
                error={errors.firstName}
              />
              <TextField
                name="lastName"
                label="Last name"
                autoComplete="family-name"
                maxLength={PROFILE_LIMITS.nameLength}
                defaultValue={values?.lastName ?? profile.lastName ?? ''}
                error={errors.lastName}
              />
            </div>
            <button type="submit" name="intent" value="update-profile" className={buttonClass} disabled={busy}>
              Save name
            </button>
          </Form>

          <dl className="mt-6 grid gap-x-4 gap-y-2 border-t border-slate-100 pt-4 text-sm sm:grid-cols-[10rem_1fr]">
            <dt className="font-medium text-slate-600">Name</dt>
            <dd data-testid="settings-name">{name || '—'}</dd>
            <dt className="font-medium text-slate-600">Email</dt>
            <dd className="break-all" data-testid="settings-email">
              {profile.email ?? '—'}
            </dd>
            <dt className="font-medium text-slate-600">Role</dt>
            <dd data-testid="settings-role">{profile.roleLabel}</dd>
            <dt className="font-medium text-slate-600">Member since</dt>
            <dd>{profile.memberSince}</dd>
          </dl>
        </div>
      </div>
    </SettingsSection>
  );
}
