import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { EmergencyContact, ProfileInput } from '../domain/profile';

/** A user's profile (one row per user, replaced by each updateProfile); validated by domain/profile.ts. */
@Entity({ tableName: 'profiles' })
export class Profile {
  [OptionalProps]?: 'updatedAt';

  @PrimaryKey({ type: 'string', length: 36 })
  userId!: string;

  @Property({ type: 'string', length: 50 })
  education!: string;

  @Property({ type: 'string', length: 200 })
  address!: string;

  @Property({ type: 'string', length: 254 })
  email!: string;

  @Property({ type: 'string', length: 100 })
  employer!: string;

  @Property({ type: 'string', length: 50 })
  position!: string;

  @Property({ type: new BigIntType('bigint') })
  monthlyIncomeFen!: bigint;

  /** The 1–2 contacts as a JSON array of {name, relation, mobile}: read and written whole, never queried. */
  @Property({ type: 'text' })
  emergencyContactsJson!: string;

  @Property({ type: 'Date', length: 3 })
  updatedAt: Date = new Date();
}

function emergencyContactsOf(profile: Profile): EmergencyContact[] {
  return JSON.parse(profile.emergencyContactsJson) as EmergencyContact[];
}

/** The profile as its rules see it (domain/profile.ts). */
export function profileInputOf(profile: Profile): ProfileInput {
  const { education, address, email, employer, position, monthlyIncomeFen } = profile;
  return {
    education,
    address,
    email,
    employer,
    position,
    monthlyIncomeFen,
    emergencyContacts: emergencyContactsOf(profile),
  };
}
