// Who did something, in words: the audit log and the change histories record
// a username ("cli:<login>" for the operator at the command line) and a role
// code ("operator" for the command line). People never see those raw.
import i18n, { roleName } from '@/locales';

/** "cli:root" → 系统命令行（运维）; null → 系统; a username as it is. */
export function actorName(username: string | null | undefined): string {
  const { t } = i18n.global;
  if (!username) return t('audit.system');
  if (username.startsWith('cli:')) return t('audit.cliActor');
  return username;
}

/** A role code in words, the command line's "operator" included. */
export function actorRoleName(role: string | null | undefined): string {
  if (!role) return '';
  if (role === 'operator') return i18n.global.t('audit.operatorRole');
  return roleName(role);
}
