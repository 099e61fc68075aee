// A modal dialog keeps Tab inside it: everything else on the page is made inert while it is open
// (aria-modal alone tells a screen reader, not the keyboard: Tab walked the screen under the
// backdrop, and Space pressed a button there). Only what this call made inert is given back, so two
// dialogs in a row, or a part of the page inert for its own reasons, are left as they were.

/** Makes every element outside `node` inert (its ancestors' other children, up to <body>); returns the undo. */
export function inertOutside(node: HTMLElement): () => void {
  const made: HTMLElement[] = [];
  for (let el: HTMLElement = node; el.parentElement && el !== el.ownerDocument.body; el = el.parentElement) {
    for (const sibling of Array.from(el.parentElement.children)) {
      if (sibling === el || !(sibling instanceof HTMLElement) || sibling.inert) continue;
      sibling.inert = true;
      made.push(sibling);
    }
  }
  return () => {
    for (const el of made) el.inert = false;
  };
}
