// The signed-in user. `me` is null when nobody is signed in; `loaded` tells
// whether /auth/me has been asked since the page loaded. `expired` is set
// when a session this browser tab had signed in is found gone (a 401 where
// a user was signed in, or on reload): the login page then says 登录已过期.
// Signing out on purpose is not an expiry.
import { defineStore } from 'pinia';
import * as authApi from '@/api/auth';
import { ApiError } from '@/api/http';
import type { User } from '@/api/types';

/** Set while this browser tab has a signed-in session (survives a reload, not the tab). */
const SIGNED_IN_KEY = 'yq.signedIn';

function markSignedIn(on: boolean): void {
  try {
    if (on) sessionStorage.setItem(SIGNED_IN_KEY, '1');
    else sessionStorage.removeItem(SIGNED_IN_KEY);
  } catch {
    // No storage: a reload after expiry then just shows the login page.
  }
}

/** Whether the browser holds the session's CSRF cookie (set with the session, readable here): without it there is no session to ask about. */
function hasSessionCookie(): boolean {
  return document.cookie.split(';').some((c) => /^\s*yq_csrf=./.test(c));
}

function wasSignedIn(): boolean {
  try {
    return sessionStorage.getItem(SIGNED_IN_KEY) === '1';
  } catch {
    return false;
  }
}

export const useUserStore = defineStore('user', {
  state: () => ({
    me: null as User | null,
    loaded: false,
    expired: false,
  }),
  getters: {
    role: (state) => state.me?.role ?? null,
  },
  actions: {
    /** Ask the server who is signed in; a 401 (or any failure) leaves me = null.
     * Without a session cookie the answer can only be 401: not asked, so a
     * signed-out visitor's console shows no failed request. */
    async fetchMe(): Promise<User | null> {
      if (!hasSessionCookie()) {
        if (wasSignedIn()) this.sessionLost();
        else this.clear();
        return null;
      }
      try {
        this.me = (await authApi.fetchMe()).user;
        markSignedIn(true);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401 && wasSignedIn()) this.sessionLost();
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
      this.expired = false;
      markSignedIn(true);
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
      markSignedIn(false);
    },

    /** The session ended without the user signing out (idle timeout, revoked): forget it and remember why. */
    sessionLost(): void {
      this.clear();
      this.expired = true;
    },
  },
});
