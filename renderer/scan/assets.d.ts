// vite's `?url` import: the file is copied into the build and the import is its URL (decodeWorker.ts).
declare module '*.wasm?url' {
  const url: string;
  export default url;
}
