// Placeholder entry until the core lands (same session).
import { bakedSettings } from './settings';

(window as unknown as { pendo: unknown }).pendo = { settings: bakedSettings() };
