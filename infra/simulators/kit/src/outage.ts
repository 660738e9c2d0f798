import { isOpsRequestAllowed, readBody, refuseOpsRequest, type EnvReader } from '@wanxin/platform';
import { readProviderConfig, type ProviderConfig, type ProviderIdentity } from './config';
import {
  sendJson,
  sendReceipt,
  startProvider,
  type ProviderDefinition,
  type ProviderRoute,
  type RunningProvider,
} from './provider';

/** The longest outage one switch asks for: a day. */
export const OUTAGE_MS_MAX = 24 * 60 * 60 * 1000;

/**
 * A simulated outage, for the platform's tests of its re-asking: while it lasts the provider answers
 * every request 503 UNAVAILABLE and delivers no callback (pending ones wait, nothing is lost). It lives
 * in memory: a restart ends it, unless <P>_DOWN_FOR_MS starts the process down again.
 */
export class Outage {
  private downUntilMs = 0;

  /** Down for `forMs` from now; 0 ends the outage. */
  set(forMs: number, nowMs = Date.now()): void {
    this.downUntilMs = forMs > 0 ? nowMs + forMs : 0;
  }

  isDown(nowMs = Date.now()): boolean {
    return nowMs < this.downUntilMs;
  }

  /** When the outage ends (ISO 8601), or null when the provider is up. */
  until(nowMs = Date.now()): string | null {
    return this.isDown(nowMs) ? new Date(this.downUntilMs).toISOString() : null;
  }
}

/** A provider's settings plus its starting outage. */
export interface SwitchableProviderConfig extends ProviderConfig {
  /** <P>_DOWN_FOR_MS: starts down for this long (0, the default: up). */
  downForMs: number;
}

/** PORT, the platform's settings, the provider's own (readProviderConfig) and <P>_DOWN_FOR_MS. */
export function readSwitchableProviderConfig(reader: EnvReader, provider: ProviderIdentity): SwitchableProviderConfig {
  return {
    ...readProviderConfig(reader, provider),
    downForMs: reader.int(`${provider.envPrefix}_DOWN_FOR_MS`, 0, 0, OUTAGE_MS_MAX),
  };
}

/** A running provider with the outage switch its /admin/outage route also sets. */
export interface SwitchableProvider extends RunningProvider {
  /** Down for `forMs` from now (503 to every request, no callback); 0 brings it back. */
  setOutage(forMs: number): void;
}

export interface SwitchableProviderDefinition extends Omit<ProviderDefinition, 'callbacksPaused'> {
  /** The routes that take the platform's requests: UNAVAILABLE while down. `routes` answer regardless. */
  requestRoutes: ProviderRoute[];
  /** Where operations switch the outage (POST). */
  outagePath: string;
}

/**
 * startProvider with an outage switch: it starts down for `config.downForMs`; while down its request
 * routes answer UNAVAILABLE and no callback is delivered (pending ones wait).
 */
export async function startSwitchableProvider(
  definition: SwitchableProviderDefinition,
  config: SwitchableProviderConfig,
): Promise<SwitchableProvider> {
  const outage = new Outage();
  outage.set(config.downForMs);
  const { requestRoutes, outagePath, routes, ...rest } = definition;
  const provider = await startProvider(
    {
      ...rest,
      callbacksPaused: () => outage.isDown(),
      routes: [
        ...requestRoutes.map((route) => unavailableWhileDown(route, outage, definition.receiptType)),
        outageRoute(outagePath, outage),
        ...routes,
      ],
    },
    config,
  );
  return { ...provider, setOutage: (forMs) => outage.set(forMs) };
}

/** Operations only: POST `{"downForMs": n}` switches `outage` (0 ends it and delivers what was pending). */
function outageRoute(path: string, outage: Outage): ProviderRoute {
  return {
    method: 'POST',
    path,
    async handle(context, request, response) {
      if (!isOpsRequestAllowed(request, context.config.platform)) return refuseOpsRequest(response);
      let downForMs: unknown;
      try {
        downForMs = (JSON.parse(await readBody(request)) as { downForMs?: unknown }).downForMs;
      } catch {
        downForMs = undefined;
      }
      if (typeof downForMs !== 'number' || !Number.isInteger(downForMs) || downForMs < 0 || downForMs > OUTAGE_MS_MAX) {
        return sendJson(response, 400, { error: `downForMs must be a whole number from 0 to ${OUTAGE_MS_MAX}` });
      }
      outage.set(downForMs);
      if (!outage.isDown()) context.wakeCallbacks();
      context.logger.warn({ downUntil: outage.until() }, 'provider outage switched');
      sendJson(response, 200, { downUntil: outage.until() });
    },
  };
}

/** `route` while the provider is up; while `outage` lasts a signed 503 UNAVAILABLE, and nothing is read or recorded. */
function unavailableWhileDown(route: ProviderRoute, outage: Outage, receiptType: string): ProviderRoute {
  return {
    ...route,
    async handle(context, request, response) {
      if (!outage.isDown()) return route.handle(context, request, response);
      request.resume();
      sendReceipt(context, response, receiptType, {
        code: 'UNAVAILABLE',
        message: `the provider is down until ${outage.until()}: ask again later`,
        reference: null,
      });
    },
  };
}
