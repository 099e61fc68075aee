// Which faces Chromium actually drew an element's text with (CDP CSS.getPlatformFontsForNode): a web
// font is `isCustomFont`, so a machine's own CJK fonts cannot pass for the bundled ones.
import type { Page } from 'playwright-core';

export interface DrawnFace {
  familyName: string;
  isCustomFont: boolean;
  glyphCount: number;
}

/** The faces used by the text nodes of the first element matching `selector`, most glyphs first. */
export async function renderedFaces(page: Page, selector: string): Promise<DrawnFace[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    if (!nodeId) throw new Error(`no element matches ${selector}`);
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return [...fonts].sort((a, b) => b.glyphCount - a.glyphCount);
  } finally {
    await cdp.detach();
  }
}
