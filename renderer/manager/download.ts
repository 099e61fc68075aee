// Saves a CSV the core made (UTF-8 text that already starts with a BOM) as a file download.
export function downloadCsv(file: { filename: string; csv: string }): void {
  const url = URL.createObjectURL(new Blob([file.csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The browser has taken the blob by the time the click handler returns; free it a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
