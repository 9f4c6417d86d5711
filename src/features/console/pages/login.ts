/**
 * The login page, and the page for anything the console refuses or cannot do.
 *
 * @module
 */
import { html } from 'hono/html';
import { type Html, notice } from './layout.ts';

export function loginBody(problem: string | null): Html {
  return html`${problem ? notice('bad', problem) : ''}
  <form class="login" method="post" action="/ops/login">
    <label for="token">Ops token</label>
    <p class="hint" id="token-hint">Paste a token with the ops role (<code>npm run token -- --ops</code>, or your identity provider's). It is exchanged for a session here and not kept.</p>
    <textarea id="token" name="token" rows="5" required autocomplete="off" spellcheck="false" aria-describedby="token-hint"></textarea>
    <p><button type="submit">Log in</button></p>
  </form>`;
}

export function problemBody(message: string, back: { href: string; label: string }): Html {
  return html`${notice('bad', message)}
  <p><a href="${back.href}">${back.label}</a></p>`;
}
