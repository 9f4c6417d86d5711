/**
 * What of a variable's value a message or a log may show: secrets never, URLs without their
 * credentials. Used by the configuration errors of env.ts, which quote what they got.
 *
 * @module
 */

/**
 * Variables whose value is never shown, in a message or a log: configuration errors name them and
 * say what is expected. Every `*_SECRET`, `*_PASSWORD` and `*_TOKEN`, so a variable added later is
 * covered by its name.
 */
export function isSecretVariable(name: string): boolean {
  return name.endsWith('_SECRET') || name.endsWith('_PASSWORD') || name.endsWith('_TOKEN');
}

/**
 * Text safe to show in place of a URL: `redis://user:password@host/…` becomes `redis://***@host/…`.
 * Cuts up to the last `@`, so a password that is not percent-encoded (and so breaks URL parsing)
 * is hidden as well; text that is no URL is returned as it is.
 */
export function withoutUrlCredentials(text: string): string {
  const scheme = text.indexOf('://');
  const at = text.lastIndexOf('@');
  return scheme >= 0 && at > scheme ? `${text.slice(0, scheme + 3)}***${text.slice(at)}` : text;
}

/** The value of a variable as a configuration error may quote it, or `undefined` for none. */
export function shownValue(name: string, value: string | undefined): string | undefined {
  if (value === undefined || isSecretVariable(name)) return undefined;
  const shown = withoutUrlCredentials(value);
  return shown.length > 200 ? `${shown.slice(0, 200)}…` : shown;
}
