import { z } from 'zod';
import { INFRA_PROVIDER_IDS } from '../catalogue.js';

export const READ = 'kernel:infra:read';
export const WRITE = 'kernel:infra:write';

export const providerId = z.enum(INFRA_PROVIDER_IDS);
export const domainName = z
  .string()
  .min(3)
  .max(253)
  .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i, 'a domain name such as example.com')
  .transform((s) => s.toLowerCase());
