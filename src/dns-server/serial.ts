/**
 * Zone serials in the common YYYYMMDDnn form: every change moves it up by at least
 * one, and a new day starts at that day's 00 so secondaries can read the date.
 */
export function nextSerial(previous: number, now = new Date()): number {
  const day = now.getUTCFullYear() * 1_000_000 + (now.getUTCMonth() + 1) * 10_000 + now.getUTCDate() * 100;
  // Serial arithmetic (RFC 1982) wraps at 2^32; past 99 changes in a day it simply keeps counting.
  return Math.max(previous + 1, day) % 0x1_0000_0000;
}
