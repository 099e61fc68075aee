// What a receipt says, as data: stored with the print job at commit, rendered (in the printer's
// language and code page) only when it prints, so a reprint says exactly what the first print said.

/** 张三 → 张*, 欧阳娜娜 → 欧***: the first character only, so the receipt names no one. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '*';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}
