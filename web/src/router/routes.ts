// The pages shown inside the layout, collected from router/modules/*.ts.
// Kept apart from router/index.ts so the menu can read them without a cycle.
import type { RouteRecordRaw } from 'vue-router';

const modules = import.meta.glob<{ default: RouteRecordRaw[] }>('./modules/*.ts', { eager: true });

export const layoutRoutes: RouteRecordRaw[] = Object.values(modules).flatMap((m) => m.default);
