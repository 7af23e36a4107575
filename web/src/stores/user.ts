// The signed-in user. `me` is null when nobody is signed in; `loaded` tells
// whether /auth/me has been asked since the page loaded.
import { defineStore } from 'pinia';
import * as authApi from '@/api/auth';
import type { User } from '@/api/types';

export const useUserStore = defineStore('user', {
  state: () => ({
    me: null as User | null,
    loaded: false,
  }),
  getters: {
    role: (state) => state.me?.role ?? null,
  },
  actions: {
    /** Ask the server who is signed in; a 401 (or any failure) leaves me = null. */
    async fetchMe(): Promise<User | null> {
      try {
        this.me = (await authApi.fetchMe()).user;
      } catch {
        this.me = null;
      }
      this.loaded = true;
      return this.me;
    },

    /** Sign in; rejects with the ApiError the server answered. */
    async login(username: string, password: string): Promise<User> {
      const { user } = await authApi.login(username, password);
      this.me = user;
      this.loaded = true;
      return user;
    },

    /** Sign out on the server (best effort) and forget the user here. */
    async logout(): Promise<void> {
      try {
        await authApi.logout();
      } catch {
        // Session already gone or server unreachable: forget it here anyway.
      }
      this.clear();
    },

    /** Forget the user without asking the server (the session is already gone). */
    clear(): void {
      this.me = null;
      this.loaded = true;
    },
  },
});
