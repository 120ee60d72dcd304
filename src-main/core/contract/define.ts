import { z } from 'zod';

/**
 * A contract method: a runtime schema for its arguments (validated on every
 * transport) and a phantom result type. The phantom lets clients derive the
 * return type without the server code ever being imported.
 */
export interface MethodSpec<Args extends z.ZodTuple = z.ZodTuple, Result = unknown> {
  readonly args: Args;
  readonly __result?: Result;
}

export function method<const Items extends readonly z.ZodType[]>(...items: Items) {
  const args = z.tuple(items as unknown as [z.ZodType, ...z.ZodType[]]);
  return {
    returns<Result>(): MethodSpec<z.ZodTuple<{ -readonly [K in keyof Items]: Items[K] }, null>, Result> {
      return { args } as unknown as MethodSpec<z.ZodTuple<{ -readonly [K in keyof Items]: Items[K] }, null>, Result>;
    },
  };
}

export type ServiceSpec = Record<string, MethodSpec>;
export type ContractSpec = Record<string, ServiceSpec>;

/** `'containers.start'`-style names for every method of a contract. */
export type MethodName<C extends ContractSpec> = {
  [S in keyof C & string]: `${S}.${keyof C[S] & string}`;
}[keyof C & string];

type SpecOf<C extends ContractSpec, M extends string> =
  M extends `${infer S}.${infer N}` ? (S extends keyof C ? (N extends keyof C[S] ? C[S][N] : never) : never) : never;

export type ArgsOf<C extends ContractSpec, M extends string> =
  SpecOf<C, M> extends MethodSpec<infer A, unknown> ? z.input<A> : never;
export type ResultOf<C extends ContractSpec, M extends string> =
  SpecOf<C, M> extends MethodSpec<z.ZodTuple, infer R> ? R : never;

/** A service as the server implements it: every method async, args already parsed. */
export type ServiceImpl<S extends ServiceSpec> = {
  [K in keyof S]: S[K] extends MethodSpec<infer A, infer R> ? (...args: z.output<A>) => Promise<R> : never;
};

/** A service as a client sees it. */
export type ServiceClient<S extends ServiceSpec> = {
  [K in keyof S]: S[K] extends MethodSpec<infer A, infer R> ? (...args: z.input<A>) => Promise<R> : never;
};

export type ContractImpl<C extends ContractSpec> = { [S in keyof C]: ServiceImpl<C[S]> };
export type ContractClient<C extends ContractSpec> = { [S in keyof C]: ServiceClient<C[S]> };

export function methodNames<C extends ContractSpec>(contract: C): MethodName<C>[] {
  const names: string[] = [];
  for (const [service, methods] of Object.entries(contract)) {
    for (const name of Object.keys(methods)) names.push(`${service}.${name}`);
  }
  return names as MethodName<C>[];
}
