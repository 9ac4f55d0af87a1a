import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useState } from 'react';
import { type DefaultValues, type FieldValues, type Path, type UseFormSetError, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { ApiError } from '../lib/api-client';
import { applyServerFieldErrors, genericErrorMessage } from '../lib/form-errors';

/** A form checked by a shared zod schema, so client and server always agree on the rules. */
export function useZodForm<TInput extends FieldValues, TOutput extends FieldValues>(schema: z.ZodType<TOutput, TInput>, defaultValues: DefaultValues<TInput>) {
  return useForm<TInput, unknown, TOutput>({
    resolver: zodResolver(schema),
    defaultValues,
    // Not on blur: an error appearing as focus leaves a field moves what the pointer is about to
    // click (a link, the submit button), and the click lands on nothing.
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
}

/**
 * A form's submit and its error above the fields. The server's validation errors go under the
 * fields they name; `special` may handle a failure first (true: handled, a string: the message
 * to show); anything else shows the generic message.
 */
export function useFormError<T extends FieldValues>(setError: UseFormSetError<T>, fields: readonly Path<T>[]) {
  const [formError, setFormError] = useState<string | null>(null);
  const attempt = useCallback(
    async (action: () => Promise<unknown>, special?: (error: unknown) => string | boolean) => {
      setFormError(null);
      try {
        await action();
      } catch (error) {
        const handled = special?.(error) ?? false;
        if (typeof handled === 'string') setFormError(handled);
        else if (handled) return;
        else if (!(error instanceof ApiError && error.status === 400 && applyServerFieldErrors(error, fields, setError)))
          setFormError(genericErrorMessage(error));
      }
    },
    [setError, fields],
  );
  return { formError, setFormError, attempt };
}
