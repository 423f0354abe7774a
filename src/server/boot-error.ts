/** Why the server could not start, said so a person knows what to do (no stack trace). */
export class BootError extends Error {
  constructor(
    readonly code: 'INSECURE_DATA_DIR' | 'PORT_IN_USE' | 'PORT_FORBIDDEN' | 'BAD_HOST',
    message: string,
  ) {
    super(message);
  }
}

/** Turns a listen() failure into a BootError naming the fix; other errors pass through. */
export function listenError(err: unknown, host: string, port: number): Error {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return new BootError('PORT_IN_USE', `Cannot listen on ${host}:${port}: port ${port} is in use, try --port N (or --port 0 for any free port).`);
    case 'EACCES':
      return new BootError('PORT_FORBIDDEN', `Cannot listen on ${host}:${port}: this user may not use port ${port}, try --port N above 1023.`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new BootError('BAD_HOST', `Cannot listen on ${host}:${port}: ${host} is not an address of this machine, check --host.`);
    default:
      return err as Error;
  }
}
