export { startRiskProvider, readRiskConfig, RISK_DEFAULT_PORT, type RiskConfig, type RiskProvider } from './risk';
export { riskDatabase } from './database';
export * from './domain/score';
export { OUTAGE_MS_MAX } from '@wanxin/simulator-kit';
