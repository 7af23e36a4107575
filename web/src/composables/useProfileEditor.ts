// Save / submit of a registration profile (enterprise or provider): the
// form's changes are sent with PATCH (only what differs from the server's
// record), 提交审核 saves first and then submits. Required fields are checked
// on submit only (`strict` is true while that validation runs); formats are
// checked always. Server errors go under the field they name. Leaving with
// unsaved changes asks first.
import { computed, ref, type Ref } from 'vue';
import { onBeforeRouteLeave } from 'vue-router';
import { ElMessage, type FormInstance } from 'element-plus';
import i18n from '@/locales';
import { useUserStore } from '@/stores/user';
import { checkForm } from '@/utils/formCheck';
import { confirmed } from './useConfirm';

interface Party {
  id: string;
  status: string;
}

export interface ProfileEditorOptions<R extends Party, E extends object> {
  record: Ref<R | null>;
  formRef: Ref<FormInstance | undefined>;
  /** What differs between the form and `record`. */
  changes: () => E;
  /** Put a record the server answered into `record` and the form. */
  fill: (record: R) => void;
  update: (id: string, edit: E) => Promise<R>;
  submit: (id: string) => Promise<R>;
  /** From useFieldErrors. */
  clearErrors: () => void;
  showError: (e: unknown) => unknown;
}

export function useProfileEditor<R extends Party, E extends object>(o: ProfileEditorOptions<R, E>) {
  const t = i18n.global.t;
  const user = useUserStore();
  const saving = ref(false);
  const strict = ref(false);

  const editable = computed(() => o.record.value !== null && ['draft', 'rejected'].includes(o.record.value.status));
  const dirty = computed(() => editable.value && Object.keys(o.changes()).length > 0);

  async function validate(forSubmit: boolean): Promise<boolean> {
    if (!o.formRef.value) return false;
    strict.value = forSubmit;
    try {
      return await checkForm(o.formRef.value);
    } finally {
      strict.value = false;
    }
  }

  /** Send the changes, if any; true when the server holds the form's values. */
  async function saveChanges(): Promise<boolean> {
    const edit = o.changes();
    if (Object.keys(edit).length === 0) return true;
    o.clearErrors();
    try {
      o.fill(await o.update(o.record.value!.id, edit));
      return true;
    } catch (e) {
      o.showError(e);
      return false;
    }
  }

  async function save(): Promise<void> {
    if (saving.value || !(await validate(false))) return;
    saving.value = true;
    try {
      if (await saveChanges()) ElMessage.success(t('profile.saved'));
    } finally {
      saving.value = false;
    }
  }

  async function submit(): Promise<void> {
    if (saving.value || !(await validate(true))) return;
    if (!(await confirmed(t('profile.submitConfirm'), 'info'))) return;
    saving.value = true;
    try {
      if (!(await saveChanges())) return;
      o.clearErrors();
      try {
        o.fill(await o.submit(o.record.value!.id));
      } catch (e) {
        o.showError(e);
        return;
      }
      ElMessage.success(t('profile.submitted'));
      // The header and home page show the registration state from /auth/me.
      void user.fetchMe();
    } finally {
      saving.value = false;
    }
  }

  onBeforeRouteLeave(async () => (dirty.value ? confirmed(t('common.unsavedLeave')) : true));

  return { saving, strict, editable, dirty, save, submit };
}
