import type { LaunchStep } from '../step.js';
import { createApp } from './app.js';
import { provisionCertificate } from './certificate.js';
import { pointDomain } from './dns.js';
import { addDomain } from './domain.js';
import { createServer } from './server.js';

/** The seed's sequence, in order: the server (when asked for), then DNS so it propagates while the rest runs. */
export const STEPS: LaunchStep[] = [createServer, pointDomain, createApp, addDomain, provisionCertificate];
