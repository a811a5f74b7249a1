import { h } from './dom';
import { can, caller, OFFICERS, type Role } from './who';

export interface Route {
  /** `#/verifications/:id` style pattern. */
  pattern: string;
  /** Shown in the navigation when set. */
  label?: string;
  roles: Role[];
  render: (params: Record<string, string>) => Promise<void> | void;
}

const routes: Route[] = [];

export function route(definition: Route): void {
  routes.push(definition);
}

export function navigate(path: string): void {
  if (location.hash === `#${path}`) void render();
  else location.hash = path;
}

function match(pattern: string, path: string): Record<string, string> | undefined {
  const expected = pattern.split('/');
  const actual = path.split('/');
  if (expected.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of expected.entries()) {
    const value = actual[index] as string;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return undefined;
  }
  return params;
}

/** Renders the page the hash names, or the caller's home page. */
export async function render(): Promise<void> {
  const path = location.hash.replace(/^#/, '') || home();
  for (const candidate of routes) {
    const params = match(candidate.pattern, path);
    if (params !== undefined && (candidate.roles.length === 0 || can(...candidate.roles))) {
      renderNav(path);
      await candidate.render(params);
      return;
    }
  }
  navigate(home());
}

function home(): string {
  const who = caller();
  if (who === null) return '/sign-in';
  return can(...OFFICERS) ? '/queue' : '/my-venues';
}

function renderNav(path: string): void {
  const nav = document.getElementById('nav') as HTMLElement;
  const links = routes.filter((candidate) => candidate.label !== undefined && caller() !== null && can(...candidate.roles));
  nav.replaceChildren(
    h('ul', {}, ...links.map((link) => h('li', {}, h('a', { href: `#${link.pattern}`, 'aria-current': path.startsWith(link.pattern) ? 'page' : undefined }, link.label as string)))),
  );
}
