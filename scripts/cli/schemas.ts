// Placeholder until the stage behind `gitops schemas` lands.
export const help = 'Usage: gitops schemas (not implemented yet)';

export async function run(_args: string[]): Promise<number> {
  console.error('gitops schemas: not implemented yet');
  return 2;
}
