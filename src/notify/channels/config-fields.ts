import { z } from 'zod';

/** An http(s) URL; other schemes are refused (file:, ftp:, javascript:). */
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
