// Placeholder until the stage behind `gitops bench` lands.
export const help = 'Usage: gitops bench (not implemented yet)';

export async function run(_args: string[]): Promise<number> {
  console.error('gitops bench: not implemented yet');
  return 2;
}
