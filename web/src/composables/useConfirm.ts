// Confirmation and reason prompts shared by the review pages.
import { ElMessageBox } from 'element-plus';
import i18n from '@/locales';

const t = (key: string) => i18n.global.t(key);

/** Ask first; resolves false on 取消. */
export async function confirmed(message: string, type: 'warning' | 'info' = 'warning'): Promise<boolean> {
  try {
    await ElMessageBox.confirm(message, t('common.tip'), {
      type,
      confirmButtonText: t('common.confirm'),
      cancelButtonText: t('common.cancel'),
    });
    return true;
  } catch {
    return false;
  }
}

/** Ask for a required reason; resolves null on 取消. */
export async function promptReason(message: string, title: string, requiredMessage: string): Promise<string | null> {
  try {
    const answer = await ElMessageBox.prompt(message, title, {
      inputType: 'textarea',
      inputValidator: (value: string) => (value && value.trim() !== '') || requiredMessage,
      confirmButtonText: t('common.confirm'),
      cancelButtonText: t('common.cancel'),
      customClass: 'yq-reason-box',
    });
    return answer.value.trim();
  } catch {
    return null;
  }
}
