// Placeholder until the stage behind `gitops generate` lands.
export const help = 'Usage: gitops generate (not implemented yet)';

export async function run(_args: string[]): Promise<number> {
  console.error('gitops generate: not implemented yet');
  return 2;
}
