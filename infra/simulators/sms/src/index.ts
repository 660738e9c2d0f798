export { startSmsProvider, type SmsProvider } from './sms';
export { readSmsConfig, SMS_DEFAULT_PORT } from './config';
export { INBOX_LIMIT_DEFAULT, INBOX_LIMIT_MAX, type SmsInboxEntry } from './inbox';
export { smsDatabase } from './database';
export { OUTAGE_MS_MAX } from '@wanxin/simulator-kit';
