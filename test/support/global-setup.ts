import { buildAssets } from '../../scripts/build-assets.js';

/** Builds dist/assets/ (the stylesheet and icons the app serves) before any test, as `npm start` does. */
export default async function setup(): Promise<void> {
  await buildAssets({ log: () => {} });
}
