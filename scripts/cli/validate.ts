// Placeholder until the stage behind `gitops validate` lands.
export const help = 'Usage: gitops validate (not implemented yet)';

export async function run(_args: string[]): Promise<number> {
  console.error('gitops validate: not implemented yet');
  return 2;
}
