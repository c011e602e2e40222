/**
 * Demo console users for local use (`npm start` prints them). Idempotent: running it again resets
 * their passwords, TOTP secret and practices to these values.
 */
import { hash } from '@node-rs/argon2';
import type { Db } from './pool.js';
import { type UserRole, upsertUser } from './users.js';

/**
 * One TOTP secret shared by the demo accounts that use a second factor, so a single authenticator
 * entry signs in as any of them. Demo only: real users get their own random secret.
 */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPDEMODESKTOTP2345';

export interface DemoUser {
  id: string;
  email: string;
  displayName: string;
  role: UserRole;
  password: string;
  practiceIds: string[];
  /** Whether this account signs in with the demo TOTP secret. */
  totp: boolean;
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    id: 'biller.sunrise',
    email: 'biller@sunrise.example',
    displayName: 'Bea Biller',
    role: 'biller',
    password: 'demo-biller-password',
    practiceIds: ['sunrise-fp'],
    totp: false,
  },
  {
    id: 'biller.lakeside',
    email: 'biller@lakeside.example',
    displayName: 'Lee Lakeside',
    role: 'biller',
    password: 'demo-biller-password',
    practiceIds: ['lakeside-ortho'],
    totp: false,
  },
  {
    id: 'supervisor',
    email: 'supervisor@denialdesk.example',
    displayName: 'Sam Supervisor',
    role: 'supervisor',
    password: 'demo-supervisor-password',
    practiceIds: ['sunrise-fp', 'lakeside-ortho'],
    totp: true,
  },
  {
    id: 'admin',
    email: 'admin@denialdesk.example',
    displayName: 'Ada Admin',
    role: 'admin',
    password: 'demo-admin-password',
    practiceIds: ['sunrise-fp', 'lakeside-ortho'],
    totp: true,
  },
];

/** Creates (or resets) the demo users. The practices must exist (seedReferenceData). */
export async function seedDemoUsers(db: Db): Promise<readonly DemoUser[]> {
  for (const u of DEMO_USERS) {
    await upsertUser(db, {
      id: u.id,
      email: u.email,
      displayName: u.displayName,
      role: u.role,
      passwordHash: await hash(u.password),
      totpSecret: u.totp ? DEMO_TOTP_SECRET : null,
      practiceIds: u.practiceIds,
    });
  }
  return DEMO_USERS;
}

/** Lines `npm start` prints so a person can sign in. */
export function demoUserLines(): string[] {
  return [
    'console users (demo only):',
    ...DEMO_USERS.map(
      (u) => `  ${u.role.padEnd(10)} ${u.email.padEnd(32)} password ${u.password}${u.totp ? ' + TOTP' : ''}`,
    ),
    `  TOTP secret (add it to an authenticator app, SHA1/6 digits/30 s): ${DEMO_TOTP_SECRET}`,
  ];
}
