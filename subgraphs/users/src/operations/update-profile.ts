import type { EntityManager } from '@wanxin/platform';
import { profileProblem, type ProfileInput } from '../domain/profile';
import { UserErrors } from '../domain/errors';
import { Profile } from '../entities/profile.entity';
import { User } from '../entities/user.entity';

/** Replaces the user's profile with `input` once it passes the profile rules; the first one creates it. */
export async function updateProfile(em: EntityManager, userId: string, input: ProfileInput): Promise<Profile> {
  const user = await em.findOne(User, { id: userId });
  if (user === null) throw UserErrors.notFound(userId);
  const problem = profileProblem(input, user.mobile);
  if (problem !== null) throw UserErrors.invalidField(problem);
  const fields = {
    education: input.education,
    address: input.address,
    email: input.email,
    employer: input.employer,
    position: input.position,
    monthlyIncomeFen: input.monthlyIncomeFen,
    emergencyContactsJson: JSON.stringify(
      input.emergencyContacts.map(({ name, relation, mobile }) => ({ name, relation, mobile })),
    ),
    updatedAt: new Date(),
  };
  // One row per user: an upsert, so two concurrent first updates cannot both insert.
  return em.upsert(Profile, { userId, ...fields });
}
