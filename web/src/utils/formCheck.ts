// A long form's check before saving: when a field is wrong, the page goes
// to the first one marked in red and says so, since on a long form (企业资料,
// 起草合同) the marks can all be out of sight and nothing would seem to happen.
import { nextTick } from 'vue';
import { ElMessage, type FormInstance } from 'element-plus';
import i18n from '@/locales';

/** Shows the first field marked wrong in `root` (or the page) and says so. */
export async function showFirstError(root?: Element | null): Promise<void> {
  await nextTick();
  const first = (root ?? document).querySelector('.el-form-item.is-error, [data-field-error]');
  first?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  ElMessage.warning(i18n.global.t('common.fixMarked'));
}

/** Validates the form; when it fails, shows its first wrong field. */
export async function checkForm(form: FormInstance | undefined): Promise<boolean> {
  if (!form) return false;
  const ok = await form.validate().catch(() => false);
  if (!ok) await showFirstError(form.$el as Element | undefined);
  return ok;
}
