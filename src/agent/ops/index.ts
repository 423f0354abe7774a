import { agentAcknowledge, agentConfigure, agentPause, agentResume, agentStatus } from './config-ops.js';
import { agentDecisions, agentExplain, agentPlaybooks, agentPreferences, agentPreferencesForget } from './journal-ops.js';

export const agentOps = [agentConfigure, agentStatus, agentDecisions, agentExplain, agentPlaybooks, agentPreferences, agentPreferencesForget, agentPause, agentResume, agentAcknowledge];
