import type { LaunchStep } from '../step.js';

/** The app, made from a template (its first version deployed) or empty. */
export const createApp: LaunchStep = {
  key: 'app',
  title: 'Create the app',
  op: 'apps.create',
  onServer: true,
  plan: (input) => ({ detail: input.template ? `Create the app '${input.name}' from the ${input.template} template and deploy it.` : `Create the empty app '${input.name}'.` }),
  call: ({ input }) => ({ name: input.name, ...(input.template ? { template: input.template } : {}) }),
  done: (ctx) => ctx.probe('apps.get', { id: ctx.input.name }),
};
