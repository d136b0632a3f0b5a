// YAML 1.1 numbers with underscores, as Kubernetes reads them. kubectl, Argo CD and kubeconform turn
// YAML into JSON with sigs.k8s.io/yaml (go-yaml v2, YAML 1.1): a plain scalar that starts like a
// number and, once its underscores are dropped, parses as a Go integer literal (`1_000`, `0x_1F`,
// `0b1_0`) or a YAML 1.1 float (`1_000.5`) is that number. Our parsers follow YAML 1.2, where such a
// scalar is a string, so `replicas: 1_000` would be a false "expected integer". Only scalars with an
// underscore are handled here: every other number already reads the same in both (for `017`, an octal
// 15 in YAML 1.1 and 17 here, the value differs but the type, which is all a schema checks, does not).

/** Candidates: a sign or digit first, at least one underscore, only number characters. */
export const YAML11_NUMBER_CANDIDATE = /^[-+]?[0-9][0-9a-fA-FxXoObB_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9_]+)?$/;

const GO_INTEGER = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const YAML11_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** The number go-yaml v2 reads for a plain scalar with underscores, or undefined when it reads a string. */
export function yaml11Number(text: string): number | undefined {
  if (!text.includes('_') || !YAML11_NUMBER_CANDIDATE.test(text)) return undefined;
  const plain = text.replaceAll('_', '');
  if (GO_INTEGER.test(plain)) {
    const negative = plain.startsWith('-');
    const digits = plain.replace(/^[-+]/, '');
    const value =
      /^0[0-7]+$/.test(digits) && digits.length > 1
        ? parseInt(digits.slice(1), 8)
        : /^0[oO]/.test(digits)
          ? parseInt(digits.slice(2), 8)
          : Number(digits); // decimal, 0x and 0b
    return negative ? -value : value;
  }
  if (YAML11_FLOAT.test(plain)) return Number(plain);
  return undefined;
}
