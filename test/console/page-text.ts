import type { Locator, Page } from 'playwright-core';

/** The browser's document, as far as the page functions below use it (the tests compile without the DOM library). */
declare const document: { querySelectorAll(selector: string): Iterable<{ textContent: string | null }> };

/** How long a list may take to show what the API answered (no test waits this long when it passes). */
const SETTLE_MS = 10_000;

/**
 * Waits until the elements `selector` names read `expected`, in order (lists load asynchronously),
 * then asserts it, so a failure shows what they did read.
 */
export async function expectTexts(page: Page, selector: string, expected: readonly string[]): Promise<void> {
  await page.waitForFunction(
    ([css, texts]) => JSON.stringify([...document.querySelectorAll(css)].map((element) => element.textContent?.trim())) === JSON.stringify(texts),
    [selector, expected] as const,
    { timeout: SETTLE_MS },
  ).catch(() => undefined);
  expect((await page.locator(selector).allTextContents()).map((text) => text.trim())).toEqual(expected);
}

/** The <dd> of a definition list that follows the <dt> reading `term`. */
export function definitionOf(scope: Locator, term: string): Locator {
  return scope.locator(`xpath=.//dt[normalize-space()="${term}"]/following-sibling::dd[1]`);
}
