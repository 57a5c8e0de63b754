import type DataLoader from 'dataloader';
import type { AiSettingsEntity } from './settings/settings.entity';

export interface AiLoaders {
  settingsByOrg: DataLoader<string, AiSettingsEntity | null>;
}
