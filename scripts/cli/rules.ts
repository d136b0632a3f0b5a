// Placeholder until the stage behind `gitops rules` lands.
export const help = 'Usage: gitops rules (not implemented yet)';

export async function run(_args: string[]): Promise<number> {
  console.error('gitops rules: not implemented yet');
  return 2;
}
