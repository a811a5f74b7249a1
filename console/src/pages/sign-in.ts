import { session } from '../api';
import { field, h, showPage } from '../dom';
import { navigate } from '../router';
import { announce } from '../status';
import { whoAmI } from '../who';

const ROLE_CHOICES = ['compliance_officer', 'compliance_manager', 'admin', 'venue_owner'] as const;

async function signInWith(token: string): Promise<void> {
  session.signIn(token);
  try {
    await whoAmI();
    window.dispatchEvent(new CustomEvent('console:signed-in'));
    navigate('');
  } catch (error) {
    session.signOut();
    announce(error instanceof Error ? error.message : String(error), 'error');
  }
}

/**
 * Production: the platform's SSO proxy forwards the user's token and this page is never shown.
 * Development: paste a token from `npm run token`, or mint one here (POST /console/dev-token
 * answers only when NODE_ENV=development).
 */
export function signInPage(): void {
  const token = h('textarea', { rows: 4, cols: 60, spellcheck: false, autocomplete: 'off' });
  const pasted = h('form', { class: 'card', onsubmit: (event) => { event.preventDefault(); void signInWith(token.value); } },
    h('h2', {}, 'Sign in with a token'),
    field('Token (from npm run token)', token),
    h('button', { type: 'submit' }, 'Sign in'),
  );
  const tenant = h('input', { type: 'text', value: crypto.randomUUID(), size: 40 });
  const role = h('select', {}, ...ROLE_CHOICES.map((choice) => h('option', { value: choice }, choice)));
  const venues = h('input', { type: 'text', placeholder: 'venue-1, venue-2 (venue owners)', size: 40 });
  const mint = h('form', { class: 'card', hidden: true, onsubmit: (event) => { event.preventDefault(); void mintAndSignIn(); } },
    h('h2', {}, 'Development: mint a token'),
    field('Tenant', tenant),
    field('Role', role),
    field('Venues', venues),
    h('button', { type: 'submit' }, 'Mint and sign in'),
  );
  async function mintAndSignIn(): Promise<void> {
    const venueIds = venues.value.split(',').map((venue) => venue.trim()).filter((venue) => venue !== '');
    const response = await fetch('/console/dev-token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId: tenant.value.trim(), roles: [role.value], ...(venueIds.length > 0 ? { venueIds } : {}) }),
    });
    const body = (await response.json()) as { token?: string; detail?: string };
    if (body.token === undefined) announce(`Could not mint a token: ${body.detail ?? response.status}`, 'error');
    else await signInWith(body.token);
  }
  showPage('Sign in', pasted, mint);
  // The minting form only where the service offers it (development).
  void fetch('/console/dev-token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((response) => {
    mint.hidden = response.status === 404;
  });
}
