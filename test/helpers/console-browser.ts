import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { TestCaller } from './tokens';

/** Debian's chromium (`.ci/run` installs it when missing): test tools' own browser downloads do not work here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A headless browser for the console's tests. Pages sign in through the sign-in form as a person
 * pastes a token. Script errors and CSP refusals in any page are collected: tests assert there are
 * none (refused API calls are expected: 401 before sign-in, 4xx shown to the officer).
 */
export class ConsoleBrowser {
  readonly pageErrors: string[] = [];
  private browser: Browser | undefined;

  constructor(private readonly base: () => string) {}

  async launch(): Promise<void> {
    this.browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox'] });
  }

  async close(): Promise<void> {
    await this.browser?.close();
  }

  async signedIn(caller: TestCaller): Promise<Page> {
    if (this.browser === undefined) throw new Error('launch() first');
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) this.pageErrors.push(message.text());
    });
    await page.goto(`${this.base()}/console/#/sign-in`);
    await page.getByLabel('Token (from npm run token)').fill(caller.token);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText(caller.userId).waitFor();
    return page;
  }

  /** axe-core on the page as it is: no serious or critical violation. */
  static async expectAccessible(page: Page, what: string): Promise<void> {
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect({ what, violations: serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`) }).toEqual({ what, violations: [] });
  }
}
