// Placeholder until the stage behind `gitops explain` lands.
export const help = 'Usage: gitops explain (not implemented yet)';

export async function run(_args: string[]): Promise<number> {
  console.error('gitops explain: not implemented yet');
  return 2;
}
