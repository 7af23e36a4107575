// Entry point: Vue app with Pinia, the router, vue-i18n and Element Plus.
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import './styles/index.css';
import App from './App.vue';
import i18n from './locales';
import router from './router';
import { loginFor } from './router/login';
import { onUnauthorized } from './api/http';
import { useUserStore } from './stores/user';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia).use(i18n).use(router).use(ElementPlus);

// The session ended on the server (expired, revoked): say so on the login
// page, sign in again, then come back to the page.
onUnauthorized(() => {
  const user = useUserStore(pinia);
  const wasSignedIn = !!user.me;
  if (wasSignedIn) user.sessionLost();
  else user.clear();
  const current = router.currentRoute.value;
  if (current.name !== 'login' && !current.meta.public) {
    void router.replace(loginFor(current.fullPath, wasSignedIn));
  }
});

app.mount('#app');
