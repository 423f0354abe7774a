export type VpsState = 'starting' | 'running' | 'off' | 'stopping' | 'deleting' | 'unknown';

export interface VpsServer {
  /** The provider's own id. */
  providerId: string;
  name: string;
  state: VpsState;
  /** The provider's word for it (running, new, active, off, ...). */
  providerStatus: string;
  ipv4: string | null;
  ipv6: string | null;
  type: string;
  region: string;
  createdAt: string | null;
}

export interface Price {
  monthly: number;
  hourly: number | null;
  currency: string;
}

export interface VpsType {
  name: string;
  description: string;
  cores: number;
  memoryGb: number;
  diskGb: number;
  /** Price per region where the provider prices per region, else one price under '*'. */
  prices: Record<string, Price>;
  regions: string[];
}

export interface VpsRegion {
  name: string;
  description: string;
  country: string | null;
}

export interface CreateVpsRequest {
  name: string;
  type: string;
  region: string;
  /** Provider SSH key names or ids, passed through. */
  sshKeys: string[];
  userData?: string;
  progress?: (message: string) => void;
}

/** A server host that knows nothing of ops: list, price, create, reboot, destroy. */
export interface VpsProvider {
  readonly id: string;
  types(): Promise<VpsType[]>;
  regions(): Promise<VpsRegion[]>;
  list(): Promise<VpsServer[]>;
  get(providerId: string): Promise<VpsServer | null>;
  /** Resolves once the server is created and its create action finished. */
  create(req: CreateVpsRequest): Promise<VpsServer>;
  reboot(providerId: string): Promise<void>;
  destroy(providerId: string): Promise<void>;
}
