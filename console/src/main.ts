import { session } from './api';
import { h } from './dom';
import { queuePage } from './pages/queue';
import { signInPage } from './pages/sign-in';
import { verificationPage } from './pages/verification';
import { render, route } from './router';
import { announce } from './status';
import { caller, forget, OFFICERS, whoAmI } from './who';
import { registerSectionPages } from './pages/sections';

route({ pattern: '/sign-in', roles: [], render: signInPage });
route({ pattern: '/queue', label: 'Review queue', roles: OFFICERS, render: queuePage });
route({ pattern: '/verifications/:id', roles: [...OFFICERS, 'venue_owner'], render: verificationPage });
registerSectionPages();

function renderWho(): void {
  const who = caller();
  const slot = document.getElementById('who') as HTMLElement;
  if (who === null) {
    slot.replaceChildren();
    return;
  }
  const signOut = h('button', { type: 'button', class: 'link' }, 'Sign out');
  signOut.addEventListener('click', () => {
    session.signOut();
    forget();
    location.hash = '/sign-in';
    renderWho();
  });
  slot.replaceChildren(`${who.userId} · ${who.roles.join(', ')}`, ' ', signOut);
}

window.addEventListener('console:unauthorized', () => {
  forget();
  renderWho();
  announce('Your session has ended: sign in again.', 'error');
  location.hash = '/sign-in';
});
window.addEventListener('console:signed-in', renderWho);
window.addEventListener('hashchange', () => void render());

async function start(): Promise<void> {
  // Behind the SSO proxy there is no stored token and this still answers; otherwise 401 → sign-in.
  try {
    await whoAmI();
  } catch {
    location.hash = '/sign-in';
  }
  renderWho();
  await render();
  document.body.dataset.ready = 'true';
}

void start();
