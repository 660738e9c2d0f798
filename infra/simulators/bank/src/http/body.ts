/** A JSON object, or null for anything else (the caller answers with a signed 00003). */
export function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The envelope fields of a form (or query string), and the trade password when one was posted. */
export function envelopeOfForm(params: URLSearchParams): {
  raw: Record<string, unknown>;
  password: string | undefined;
} {
  const raw: Record<string, unknown> = {};
  for (const field of ['serviceName', 'platformNo', 'reqData', 'signature']) {
    const value = params.get(field);
    if (value !== null) raw[field] = value;
  }
  return { raw, password: params.get('password') ?? undefined };
}
