// The platform declares the enum: repayments requires `User.role` and must compose the same one.
export { RoleEnum } from '@wanxin/platform';
