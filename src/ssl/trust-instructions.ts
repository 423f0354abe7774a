/** How to make each OS trust the local CA (copy-paste commands; each needs an administrator). */
export function trustInstructions(caPath: string): { linux: string; macos: string; windows: string; firefox: string } {
  return {
    linux: `Debian/Ubuntu: sudo cp '${caPath}' /usr/local/share/ca-certificates/fazt-local-ca.crt && sudo update-ca-certificates\nFedora/RHEL/Arch: sudo trust anchor --store '${caPath}'`,
    macos: `sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain '${caPath}'`,
    windows: `In an administrator prompt: certutil -addstore -f Root "${caPath}"`,
    firefox: `Firefox keeps its own store: Settings → Privacy & Security → Certificates → View Certificates → Authorities → Import '${caPath}' (or set security.enterprise_roots.enabled).`,
  };
}
