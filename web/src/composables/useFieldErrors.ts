// Server messages placed on form fields. The API names the field at fault in
// error.field (e.g. "uscc", "certificate.valid_until"); the form shows the
// message under that field (el-form-item :error) until its value changes.
// Call clear() before sending, so that the same message coming back again is
// a change the form item sees.
import { reactive, watch } from 'vue';
import { ElMessage } from 'element-plus';
import { ApiError } from '@/api/http';

export function useFieldErrors(known: readonly string[], valueOf: (field: string) => unknown) {
  const errors = reactive<Record<string, string>>({});

  for (const field of known) {
    watch(
      () => valueOf(field),
      () => delete errors[field],
      { deep: true },
    );
  }

  function clear(): void {
    for (const key of Object.keys(errors)) delete errors[key];
  }

  /**
   * Show `e` on its field when the form has it, else as a message. Returns
   * the field it was put on (or null). Rethrows anything but an ApiError.
   */
  function show(e: unknown): string | null {
    if (!(e instanceof ApiError)) throw e;
    if (e.field && known.includes(e.field)) {
      errors[e.field] = e.message;
      return e.field;
    }
    ElMessage.error(e.message);
    return null;
  }

  return { errors, clear, show };
}
