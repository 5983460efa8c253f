/** The `v` query parameter and the meta event's `version`, in Pendo's `{semver}_{env}` shape. */
export const VERSION = '0.1.0_guidepost';
