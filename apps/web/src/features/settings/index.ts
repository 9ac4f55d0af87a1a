export { settingsApi, settingsKeys, useUpdateUserSettings, useUserSettings } from './api/settings-api';
export { SettingsPage } from './components/settings-page';
