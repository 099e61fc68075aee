// The camera scanner: the chosen camera into a <video> viewfinder, frames drawn to a canvas and
// handed to the decode worker one at a time, as fast as it decodes them (no 500 ms pause as in
// zxing's browser reader), the same code reported once per 3 s, and a clear state for the UI. A
// decoder that cannot load (its WebAssembly missing, refused by the CSP, or not ready in
// DECODER_LOAD_MS) is the state `decoder-error`, not a viewfinder that silently reads nothing: the
// camera works, the program is broken, so staff are told to use the scanner and call IT.
import { isDecoderFailure, isDecoderReady, isFrameResult, type FrameRequest } from './decodeProtocol';
import { RepeatFilter } from './repeatFilter';

export type CameraState =
  | 'idle'
  | 'starting'
  | 'scanning'
  /** No camera is connected. */
  | 'no-camera'
  /** The person or the browser said no to the camera. */
  | 'permission-denied'
  /** Another program holds the camera. */
  | 'camera-busy'
  /** The camera was unplugged while scanning; scanning resumes when one comes back. */
  | 'camera-lost'
  /** This browser cannot use cameras (no getUserMedia, or not a secure context). */
  | 'unsupported'
  /** The QR decoder could not be loaded: the program's files are damaged or blocked (a restart, then IT). */
  | 'decoder-error'
  | 'error';

export interface CameraStatus {
  state: CameraState;
  /** The camera in use (its label when the browser gives one). */
  camera?: string;
  /** The chosen camera was not found and another one is used. */
  fallback?: boolean;
  detail?: string;
}

export interface CameraScannerOptions {
  /** The viewfinder the UI shows. */
  video: HTMLVideoElement;
  onCode: (text: string) => void;
  onStatus: (status: CameraStatus) => void;
  /** config.scanner.camera.deviceId; null for the default (rear-facing where there is one). */
  deviceId?: string | null;
  /** The same code is not reported again within this many ms. */
  repeatMs?: number;
  /** Frames are scaled down to at most this width before decoding. */
  maxWidth?: number;
  createWorker?: () => Worker;
  mediaDevices?: MediaDevices;
}

function stateOf(err: unknown): CameraState {
  const name = err instanceof Error || (typeof err === 'object' && err !== null && 'name' in err) ? String((err as { name: unknown }).name) : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'permission-denied';
  if (name === 'NotFoundError' || name === 'DevicesNotFoundError' || name === 'OverconstrainedError') return 'no-camera';
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') return 'camera-busy';
  return 'error';
}

const defaultWorker = () => new Worker(new URL('./decodeWorker.ts', import.meta.url), { type: 'module' });

/** The decoder reports itself ready within this, or the camera says it cannot scan (a hung load). */
export const DECODER_LOAD_MS = 15_000;

export class CameraScanner {
  private stream: MediaStream | null = null;
  private worker: Worker | null = null;
  private running = false;
  private inFlight = false;
  private frameNo = 0;
  private canvas: HTMLCanvasElement | OffscreenCanvas | null = null;
  private readonly repeat: RepeatFilter;
  private readonly media: MediaDevices | undefined;
  private status: CameraStatus = { state: 'idle' };
  /** Running until the decoder says it is ready; when it fires, it never did. */
  private loadTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: CameraScannerOptions) {
    this.repeat = new RepeatFilter(options.repeatMs ?? 3000);
    this.media = options.mediaDevices ?? globalThis.navigator?.mediaDevices;
  }

  get current(): CameraStatus {
    return this.status;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.media?.addEventListener?.('devicechange', this.onDeviceChange);
    // The decoder compiles while the camera opens (a second or more on a store PC), not after.
    this.startWorker();
    await this.open();
  }

  private startWorker(): void {
    if (this.worker) return;
    this.worker = (this.options.createWorker ?? defaultWorker)();
    this.worker.onmessage = (e: MessageEvent<unknown>) => this.onResult(e.data);
    // The worker's own script failed to load or threw outside a frame.
    this.worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.fail(e.message || 'the decode worker failed');
    };
    this.loadTimer = setTimeout(() => {
      this.loadTimer = null;
      this.fail(`the QR decoder was not ready after ${DECODER_LOAD_MS / 1000} s`);
    }, DECODER_LOAD_MS);
  }

  private clearLoadTimer(): void {
    if (this.loadTimer !== null) clearTimeout(this.loadTimer);
    this.loadTimer = null;
  }

  private stopWorker(): void {
    this.clearLoadTimer();
    this.worker?.terminate();
    this.worker = null;
    this.inFlight = false;
  }

  stop(): void {
    this.repeat.reset();
    this.halt({ state: 'idle' });
  }

  /** The camera and the decoder closed, and the state the UI shows now (stopped, or why it cannot scan). */
  private halt(status: CameraStatus): void {
    this.running = false;
    this.media?.removeEventListener?.('devicechange', this.onDeviceChange);
    this.closeStream();
    this.stopWorker();
    this.setStatus(status);
  }

  private setStatus(status: CameraStatus): void {
    this.status = status;
    this.options.onStatus(status);
  }

  private readonly onDeviceChange = () => {
    // A camera plugged back in: pick scanning up again without anyone pressing a button.
    if (this.running && !this.stream && ['no-camera', 'camera-lost', 'camera-busy'].includes(this.status.state)) void this.open();
  };

  private async getStream(): Promise<{ stream: MediaStream; fallback: boolean }> {
    const media = this.media!;
    const size = { width: { ideal: 1280 }, height: { ideal: 720 } };
    const chosen = this.options.deviceId;
    if (chosen) {
      try {
        return { stream: await media.getUserMedia({ video: { ...size, deviceId: { exact: chosen } }, audio: false }), fallback: false };
      } catch (err) {
        if (stateOf(err) !== 'no-camera') throw err;
      }
    }
    return { stream: await media.getUserMedia({ video: { ...size, facingMode: 'environment' }, audio: false }), fallback: Boolean(chosen) };
  }

  private async open(): Promise<void> {
    if (!this.media?.getUserMedia) {
      this.setStatus({ state: 'unsupported' });
      return;
    }
    this.setStatus({ state: 'starting' });
    let got: { stream: MediaStream; fallback: boolean };
    try {
      got = await this.getStream();
    } catch (err) {
      if (this.running) this.setStatus({ state: stateOf(err), detail: err instanceof Error ? err.message : String(err) });
      return;
    }
    if (!this.running) {
      got.stream.getTracks().forEach((t) => t.stop());
      return;
    }
    this.stream = got.stream;
    const track = got.stream.getVideoTracks()[0];
    track?.addEventListener('ended', () => {
      if (!this.running) return;
      this.closeStream();
      this.setStatus({ state: 'camera-lost' });
    });
    const video = this.options.video;
    video.srcObject = got.stream;
    video.muted = true;
    video.playsInline = true;
    try {
      await video.play();
    } catch (err) {
      // Stopped, or the decoder failed, while it was starting: that state stands (play() was cut short).
      if (this.running) this.setStatus({ state: 'error', detail: err instanceof Error ? err.message : String(err) });
      return;
    }
    if (!this.running) return; // the decoder failed while the camera opened (start() started it)
    this.setStatus({ state: 'scanning', camera: track?.label ?? '', fallback: got.fallback });
    this.nextFrame();
  }

  private closeStream(): void {
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
    if (this.options.video.srcObject) this.options.video.srcObject = null;
  }

  private nextFrame(): void {
    if (!this.running || !this.stream) return;
    const video = this.options.video;
    if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback(() => this.grab());
    else requestAnimationFrame(() => this.grab());
  }

  private context(width: number, height: number): CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null {
    if (!this.canvas) this.canvas = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(width, height) : document.createElement('canvas');
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== height) this.canvas.height = height;
    return this.canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  }

  /** One frame to the worker; the next is taken when this one is decoded, so frames never queue up. */
  private grab(): void {
    if (!this.running || !this.stream || !this.worker) return;
    const video = this.options.video;
    if (this.inFlight || video.videoWidth === 0) {
      this.nextFrame();
      return;
    }
    const scale = Math.min(1, (this.options.maxWidth ?? 640) / video.videoWidth);
    const width = Math.round(video.videoWidth * scale);
    const height = Math.round(video.videoHeight * scale);
    const ctx = this.context(width, height);
    if (!ctx) {
      this.setStatus({ state: 'error', detail: 'no 2d canvas' });
      return;
    }
    ctx.drawImage(video, 0, 0, width, height);
    const image = ctx.getImageData(0, 0, width, height);
    this.frameNo += 1;
    // Every fourth frame also looks for light-on-dark codes (phones in dark mode).
    const request: FrameRequest = { type: 'frame', id: this.frameNo, width, height, data: image.data, inverted: this.frameNo % 4 === 0 };
    this.inFlight = true;
    this.worker.postMessage(request, [image.data.buffer]);
    this.nextFrame();
  }

  /** The decoder cannot read frames: the camera is closed and the UI says it cannot scan (toggling retries). */
  private fail(detail: string): void {
    if (this.running) this.halt({ state: 'decoder-error', detail });
  }

  private onResult(message: unknown): void {
    if (isDecoderFailure(message)) {
      this.fail(`QR decoder: ${message.detail}`);
      return;
    }
    if (isDecoderReady(message)) {
      this.clearLoadTimer();
      return;
    }
    this.inFlight = false;
    if (!isFrameResult(message) || message.text === null || !this.running) return;
    if (this.repeat.accept(message.text, performance.now())) this.options.onCode(message.text);
  }
}
