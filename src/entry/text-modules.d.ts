/**
 * Files wrangler bundles as Text modules (wrangler.toml `[[rules]]`): importing one gives its text.
 * Only the Workers entry imports them; Node reads the file instead.
 */
declare module '*.graphql' {
  const text: string;
  export default text;
}
