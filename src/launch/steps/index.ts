import type { LaunchStep } from '../step.js';
import { createApp } from './app.js';
import { provisionCertificate } from './certificate.js';
import { pointDomain } from './dns.js';
import { addDomain } from './domain.js';

/** The seed's sequence, in order: DNS first so it propagates while the rest runs. */
export const STEPS: LaunchStep[] = [pointDomain, createApp, addDomain, provisionCertificate];
