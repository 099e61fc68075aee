// Codes from a serial scanner the kiosk host reads (config.json scanner.serial), pushed over
// `/api/scans` as server-sent events; the page submits them like a wedge burst. EventSource
// reconnects by itself when the host restarts.
export function subscribeSerialScans(onCode: (code: string) => void, base = ''): () => void {
  if (typeof EventSource !== 'function') return () => undefined;
  const source = new EventSource(`${base}/api/scans`);
  source.addEventListener('scan', (e: MessageEvent<string>) => {
    let data: unknown;
    try {
      data = JSON.parse(e.data);
    } catch {
      return;
    }
    const code = typeof data === 'object' && data !== null && 'code' in data ? (data as { code: unknown }).code : null;
    if (typeof code === 'string' && code.length > 0) onCode(code);
  });
  return () => source.close();
}
