import path from 'node:path';

/**
 * The U.S. Web Design System (`@uswds/uswds`) as the gateway's pages serve it, from this origin (no CDN): its
 * `dist` folder (css, fonts, img, js). The workbench and the operations dashboard each mount it under their own
 * assets path.
 */
export const USWDS_DIST = path.resolve(path.dirname(require.resolve('@uswds/uswds')), '..');

/** The government banner every page of the gateway opens with, as the design system writes it. */
export const governmentBanner = (assets: string): string => `
    <section class="usa-banner" aria-label="Official website of the United States government">
      <div class="usa-banner__header">
        <div class="usa-banner__inner">
          <div class="grid-col-auto">
            <img aria-hidden="true" class="usa-banner__header-flag" src="${assets}/img/us_flag_small.png" alt="" />
          </div>
          <div class="grid-col-fill tablet:grid-col-auto">
            <p class="usa-banner__header-text">An official website of the United States government</p>
          </div>
        </div>
      </div>
    </section>`;
