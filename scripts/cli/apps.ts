// Placeholder until the stage behind `gitops apps` lands.
export const help = 'Usage: gitops apps (not implemented yet)';

export async function run(_args: string[]): Promise<number> {
  console.error('gitops apps: not implemented yet');
  return 2;
}
