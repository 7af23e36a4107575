// What every route may declare in `meta` (see src/router/index.ts).
import 'vue-router';
import type { Component } from 'vue';
import type { Role } from '@/api/types';

export {};

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title (menu label, document title). */
    title?: string;
    /** Roles that may open the route; absent = any signed-in user. */
    roles?: readonly Role[];
    /** Shown without signing in. */
    public?: boolean;
    /** Listed in the side menu (for the roles that may open it). */
    menu?: boolean;
    /** Menu icon. */
    icon?: Component;
    /** Menu order, ascending. */
    rank?: number;
    /** Name of the route the breadcrumb puts before this one (default: the menu route whose path is the longest prefix of this one's). */
    parent?: string;
  }
}
