// Executes parsed templates with Go's semantics where they show in output: truthiness, "<no value>"
// for a missing key (or an error under missingkey=error, as Argo CD's goTemplateOptions asks),
// fmt's %v printing of lists and maps, and lazy `and`/`or`.
import { BudgetExceeded, ExpansionBudget } from '../budget.ts';
import { goFunctions, type TemplateFunction } from './functions.ts';
import { parseTemplate, TemplateError, type Arg, type Command, type Node, type Pipeline } from './parse.ts';
import { goTypeName, isMap, isTrue, NO_VALUE, printValue } from './values.ts';

export { TemplateError } from './parse.ts';

export interface GoTemplateOptions {
  /** Go's missingkey option: "default"/"invalid" print "<no value>", "zero" prints the zero value, "error" fails. */
  missingKey?: 'default' | 'invalid' | 'zero' | 'error';
  /** Extra functions, on top of Go's builtins and the Sprig subset. */
  functions?: Record<string, TemplateFunction>;
  /** Output, loop iterations and function results are charged to it (a fresh one when not given). */
  budget?: ExpansionBudget;
}

type BranchNode = Extract<Node, { list: Node[] }>;

class BreakSignal {}
class ContinueSignal {}

const parsed = new Map<string, Node[]>();

/** Renders `source` with `data` as dot. Throws TemplateError with a Go-like message. */
export function renderGoTemplate(source: string, data: unknown, options: GoTemplateOptions = {}): string {
  let nodes = parsed.get(source);
  if (!nodes) {
    nodes = parseTemplate(source);
    if (parsed.size > 5000) parsed.clear(); // templates repeat across param sets; bound the cache anyway
    parsed.set(source, nodes);
  }
  const state = new State(data, options);
  const out: string[] = [];
  state.walkList(nodes, data, out);
  return out.join('');
}

/** Go's range over an integer (Go 1.22): 0 .. n-1, lazily, so a huge n costs only the budget. */
function* integerRange(count: number): Generator<[unknown, unknown]> {
  for (let i = 0; i < count; i++) yield [i, i];
}

/** Parses without executing: reports syntax errors before any param set exists. */
export function checkGoTemplateSyntax(source: string): void {
  parseTemplate(source);
}

class State {
  private scopes: Map<string, unknown>[];
  private readonly functions: Record<string, TemplateFunction>;
  private readonly missingKey: NonNullable<GoTemplateOptions['missingKey']>;
  private readonly budget: ExpansionBudget;

  constructor(root: unknown, options: GoTemplateOptions) {
    this.scopes = [new Map([['$', root]])];
    this.functions = { ...goFunctions, ...options.functions };
    this.missingKey = options.missingKey ?? 'default';
    this.budget = options.budget ?? new ExpansionBudget();
  }

  private write(out: string[], text: string): void {
    this.budget.chargeOutput(text.length);
    out.push(text);
  }

  walkList(nodes: Node[], dot: unknown, out: string[]): void {
    for (const node of nodes) this.walk(node, dot, out);
  }

  private walk(node: Node, dot: unknown, out: string[]): void {
    switch (node.type) {
      case 'text':
        this.write(out, node.text);
        return;
      case 'action': {
        const value = this.evalPipeline(node.pipeline, dot);
        // Go unwraps a pipeline's interface result: a nil prints as "<no value>", not "<nil>".
        if (node.pipeline.decl.length === 0) this.write(out, value === null ? '<no value>' : printValue(value));
        return;
      }
      case 'if':
      case 'with': {
        this.scopes.push(new Map());
        try {
          const value = this.evalPipeline(node.pipeline, dot);
          if (isTrue(value)) this.walkList(node.list, node.type === 'with' ? value : dot, out);
          else if (node.elseList) this.walkList(node.elseList, dot, out);
        } finally {
          this.scopes.pop();
        }
        return;
      }
      case 'range':
        this.walkRange(node, dot, out);
        return;
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
    }
  }

  private walkRange(node: BranchNode, dot: unknown, out: string[]): void {
    const pipeline: Pipeline = { ...node.pipeline, decl: [] };
    const value = this.evalPipeline(pipeline, dot);
    let entries: Iterable<[unknown, unknown]>;
    let empty: boolean;
    if (Array.isArray(value)) {
      entries = value.map((item, i) => [i, item]);
      empty = value.length === 0;
    } else if (isMap(value)) {
      const keys = Object.keys(value).sort();
      entries = keys.map((key) => [key, value[key]]);
      empty = keys.length === 0;
    } else if (typeof value === 'number' && Number.isInteger(value)) {
      entries = integerRange(value);
      empty = value <= 0;
    } else if (value === null || value === NO_VALUE || value === undefined) {
      entries = [];
      empty = true;
    } else throw new TemplateError(`range can't iterate over ${printValue(value)}`);
    if (empty) {
      if (node.elseList) this.walkList(node.elseList, dot, out);
      return;
    }
    for (const [key, item] of entries) {
      this.budget.chargeIterations(1);
      const scope = new Map<string, unknown>();
      const decl = node.pipeline.decl;
      if (decl.length === 1) scope.set(decl[0], item);
      if (decl.length === 2) {
        scope.set(decl[0], key);
        scope.set(decl[1], item);
      }
      this.scopes.push(scope);
      try {
        this.walkList(node.list, item, out);
      } catch (signal) {
        if (signal instanceof BreakSignal) break;
        if (!(signal instanceof ContinueSignal)) throw signal;
      } finally {
        this.scopes.pop();
      }
    }
  }

  private evalPipeline(pipeline: Pipeline, dot: unknown): unknown {
    let value: unknown = undefined;
    let piped = false;
    for (const command of pipeline.commands) {
      value = this.evalCommand(command, dot, piped ? [value] : []);
      piped = true;
    }
    for (const name of pipeline.decl) {
      if (pipeline.assign) this.assignVariable(name, value);
      else this.scopes[this.scopes.length - 1].set(name, value);
    }
    return value;
  }

  private evalCommand(command: Command, dot: unknown, piped: unknown[]): unknown {
    const [first, ...rest] = command.args;
    if (first.type === 'identifier') return this.callFunction(first.name, rest, dot, piped);
    if (rest.length > 0 || piped.length > 0) {
      throw new TemplateError(`can't give argument to non-function ${describeArg(first)}`);
    }
    return this.evalArg(first, dot);
  }

  private callFunction(name: string, argNodes: Arg[], dot: unknown, piped: unknown[]): unknown {
    // and/or stop at the first argument that decides, like Go 1.18+: later ones may fail.
    if (name === 'and' || name === 'or') {
      const thunks = [...argNodes.map((arg) => () => this.evalArg(arg, dot)), ...piped.map((value) => () => value)];
      if (thunks.length === 0) throw new TemplateError(`wrong number of args for ${name}: want at least 1 got 0`);
      let value: unknown;
      for (const thunk of thunks) {
        value = thunk();
        if (name === 'and' ? !isTrue(value) : isTrue(value)) return value;
      }
      return value;
    }
    const fn = this.functions[name];
    if (!fn) throw new TemplateError(`function "${name}" not defined`);
    const args = [...argNodes.map((arg) => this.evalArg(arg, dot)), ...piped].map((value) =>
      value === NO_VALUE ? null : value,
    );
    let result: unknown;
    try {
      result = fn(...args);
    } catch (error) {
      if (error instanceof TemplateError || error instanceof BudgetExceeded) throw error;
      throw new TemplateError(`error calling ${name}: ${(error as Error).message}`);
    }
    // What a function builds counts too: a string doubled in a loop never prints until it is huge.
    if (typeof result === 'string') this.budget.chargeOutput(result.length);
    else if (Array.isArray(result)) this.budget.chargeIterations(result.length);
    else if (isMap(result)) this.budget.chargeIterations(Object.keys(result).length);
    return result;
  }

  private evalArg(arg: Arg, dot: unknown): unknown {
    switch (arg.type) {
      case 'field':
        return this.evalFields(dot, arg.names, '');
      case 'variable': {
        const base = this.lookupVariable(arg.name);
        return this.evalFields(base, arg.names, arg.name);
      }
      case 'chain':
        return this.evalFields(this.evalArg(arg.base, dot), arg.names, '(...)');
      case 'identifier':
        return this.callFunction(arg.name, [], dot, []);
      case 'string':
      case 'number':
      case 'bool':
        return arg.value;
      case 'nil':
        throw new TemplateError('nil is not a command');
      case 'pipeline':
        return this.evalPipeline(arg.pipeline, dot);
    }
  }

  private evalFields(base: unknown, names: string[], prefix: string): unknown {
    let value = base;
    let path = prefix;
    for (const name of names) {
      if (isMap(value)) {
        if (Object.prototype.hasOwnProperty.call(value, name)) value = value[name];
        else if (this.missingKey === 'error')
          throw new TemplateError(`map has no entry for key "${name}"${path ? ` (in ${path})` : ''}`);
        else value = this.missingKey === 'zero' ? null : NO_VALUE;
      } else if (value === NO_VALUE || value === undefined) {
        // Go's evalField on an invalid value (a missing key before): no value, unless missingkey=error.
        if (this.missingKey === 'error') throw new TemplateError(`nil data; no entry for key "${name}"`);
        value = NO_VALUE;
      } else if (value === null) {
        throw new TemplateError(`nil pointer evaluating interface {}.${name}`);
      } else {
        throw new TemplateError(`can't evaluate field ${name} in type ${goTypeName(value)}`);
      }
      path += `.${name}`;
    }
    return value;
  }

  private lookupVariable(name: string): unknown {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      if (this.scopes[i].has(name)) return this.scopes[i].get(name);
    }
    throw new TemplateError(`undefined variable "${name}"`);
  }

  private assignVariable(name: string, value: unknown): void {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      if (this.scopes[i].has(name)) {
        this.scopes[i].set(name, value);
        return;
      }
    }
    throw new TemplateError(`undefined variable "${name}"`);
  }
}

function describeArg(arg: Arg): string {
  switch (arg.type) {
    case 'field':
      return arg.names.length ? `.${arg.names.join('.')}` : '.';
    case 'variable':
      return [arg.name, ...arg.names].join('.');
    case 'string':
      return JSON.stringify(arg.value);
    case 'number':
    case 'bool':
      return String(arg.value);
    default:
      return arg.type;
  }
}
