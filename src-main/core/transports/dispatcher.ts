import { z } from 'zod';
import type { ContractImpl, ContractSpec } from '../contract/define.js';
import type { CallResponse, WireError } from '../contract/wire.js';
import { UserError } from '../errors.js';

export type Dispatch = (method: string, args: unknown) => Promise<CallResponse>;

/**
 * Turns a contract plus its implementation into one function every transport
 * uses: look the method up, validate the arguments at runtime, run it, and
 * flatten any error to {name, message, code} so it survives serialization.
 */
export function createDispatcher<C extends ContractSpec>(contract: C, impl: ContractImpl<C>): Dispatch {
  return async (methodName, args) => {
    const id = 0;
    try {
      const [service, name, extra] = typeof methodName === 'string' ? methodName.split('.') : [];
      const spec = service !== undefined && name !== undefined && extra === undefined
        ? (contract as ContractSpec)[service]?.[name] : undefined;
      if (!spec || !Object.hasOwn(contract, service!) || !Object.hasOwn(contract[service!]!, name!)) {
        throw new UserError(`Unknown method '${String(methodName)}'.`, 'unknown-method');
      }
      if (!Array.isArray(args)) throw new UserError(`Arguments to ${methodName} must be an array.`, 'invalid-arguments');
      const parsed = spec.args.safeParse(args);
      if (!parsed.success) throw new UserError(`Invalid arguments to ${methodName}: ${formatZodError(parsed.error)}`, 'invalid-arguments');
      const svc = (impl as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>)[service!]!;
      const result = await svc[name!]!.apply(svc, parsed.data as unknown[]);
      return { type: 'result', id, ok: true, result: result === undefined ? null : result };
    } catch (err) {
      return { type: 'result', id, ok: false, error: toWireError(err) };
    }
  };
}

export function toWireError(err: unknown): WireError {
  if (err instanceof UserError) return { name: err.name, message: err.message, code: err.code };
  if (err instanceof Error) return { name: err.name || 'Error', message: err.message };
  return { name: 'Error', message: String(err) };
}

export function formatZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length ? `argument ${issue.path.map(String).join('.')}` : 'arguments';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}
