// A safe arithmetic evaluator for the calculator tool: a recursive-descent parser over numbers,
// + - * / % ^, parentheses and a few functions. Never `eval`; input length and nesting are bounded.

const MAX_LENGTH = 500;
const MAX_DEPTH = 50;
const FUNCTIONS: Record<string, (...values: number[]) => number> = {
  sqrt: Math.sqrt,
  abs: Math.abs,
  round: Math.round,
  floor: Math.floor,
  ceil: Math.ceil,
  min: Math.min,
  max: Math.max,
  ln: Math.log,
  log10: Math.log10,
};
const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

export class ArithmeticError extends Error {}

export function evaluateArithmetic(expression: string): number {
  if (expression.length > MAX_LENGTH) throw new ArithmeticError(`Expressions are limited to ${MAX_LENGTH} characters.`);
  const parser = new Parser(expression);
  const value = parser.expression(0);
  parser.expectEnd();
  if (!Number.isFinite(value)) throw new ArithmeticError("The result is not a finite number.");
  return value;
}

class Parser {
  private position = 0;
  constructor(private readonly text: string) {}

  /** expression := term (('+' | '-') term)* */
  expression(depth: number): number {
    if (depth > MAX_DEPTH) throw new ArithmeticError("The expression is nested too deeply.");
    let value = this.term(depth);
    for (let operator = this.peek(); operator === "+" || operator === "-"; operator = this.peek()) {
      this.position++;
      const right = this.term(depth);
      value = operator === "+" ? value + right : value - right;
    }
    return value;
  }

  /** term := power (('*' | '/' | '%') power)* */
  private term(depth: number): number {
    let value = this.power(depth);
    for (let operator = this.peek(); operator === "*" || operator === "/" || operator === "%"; operator = this.peek()) {
      this.position++;
      const right = this.power(depth);
      if ((operator === "/" || operator === "%") && right === 0) throw new ArithmeticError("Division by zero.");
      value = operator === "*" ? value * right : operator === "/" ? value / right : value % right;
    }
    return value;
  }

  /** power := unary ('^' power)?  (right-associative) */
  private power(depth: number): number {
    const base = this.unary(depth);
    if (this.peek() !== "^") return base;
    this.position++;
    return base ** this.power(depth + 1);
  }

  /** unary := ('-' | '+') unary | primary */
  private unary(depth: number): number {
    const operator = this.peek();
    if (operator === "-" || operator === "+") {
      this.position++;
      const value = this.unary(depth + 1);
      return operator === "-" ? -value : value;
    }
    return this.primary(depth);
  }

  /** primary := number | '(' expression ')' | name '(' arguments ')' | constant */
  private primary(depth: number): number {
    const next = this.peek();
    if (next === "(") {
      this.position++;
      const value = this.expression(depth + 1);
      this.expect(")");
      return value;
    }
    const number = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.position));
    if (number) {
      this.position += number[0].length;
      return Number(number[0]);
    }
    const name = /^[a-z][a-z0-9]*/i.exec(this.text.slice(this.position));
    if (name) {
      this.position += name[0].length;
      const key = name[0].toLowerCase();
      // Own properties only: "constructor" and friends are not names here.
      if (Object.hasOwn(CONSTANTS, key)) return CONSTANTS[key]!;
      const fn = Object.hasOwn(FUNCTIONS, key) ? FUNCTIONS[key] : undefined;
      if (!fn) throw new ArithmeticError(`Unknown name '${name[0]}'.`);
      this.expect("(");
      const values = [this.expression(depth + 1)];
      while (this.peek() === ",") {
        this.position++;
        values.push(this.expression(depth + 1));
      }
      this.expect(")");
      return fn(...values);
    }
    throw new ArithmeticError(next === null ? "The expression ended early." : `Unexpected '${next}' at position ${this.position + 1}.`);
  }

  private peek(): string | null {
    while (this.position < this.text.length && /\s/.test(this.text[this.position]!)) this.position++;
    return this.position < this.text.length ? this.text[this.position]! : null;
  }

  private expect(character: string): void {
    if (this.peek() !== character) throw new ArithmeticError(`Expected '${character}' at position ${this.position + 1}.`);
    this.position++;
  }

  expectEnd(): void {
    const next = this.peek();
    if (next !== null) throw new ArithmeticError(`Unexpected '${next}' at position ${this.position + 1}.`);
  }
}
