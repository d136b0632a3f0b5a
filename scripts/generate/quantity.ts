// Kubernetes quantities as numbers and back, for sizing ResourceQuotas from what services request.

const SUFFIX: Record<string, number> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** "500m" -> 0.5, "1Gi" -> 1073741824, "2" -> 2. */
export function parseQuantity(value: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)([a-zA-Z]*)$/.exec(value.trim());
  if (!match) throw new Error(`not a quantity: ${value}`);
  const factor = match[2] ? SUFFIX[match[2]] : 1;
  if (factor === undefined) throw new Error(`unknown quantity suffix in ${value}`);
  return Number(match[1]) * factor;
}

/** CPU cores to a quantity, rounded up to 100m: 3.41 -> "3500m", 4 -> "4". */
export function formatCpu(cores: number): string {
  const milli = Math.ceil((cores * 1000) / 100 - 1e-9) * 100;
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Bytes to a quantity, rounded up to 64Mi: whole Gi when it divides. */
export function formatMemory(bytes: number): string {
  const mi = Math.ceil(bytes / 1024 ** 2 / 64 - 1e-9) * 64;
  return mi % 1024 === 0 ? `${mi / 1024}Gi` : `${mi}Mi`;
}
