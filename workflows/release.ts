/**
 * The release of the workflow code in this tree. It names the folder its recorded histories go to
 * (test/fixtures/histories/<release>) and its frozen bundle (test/fixtures/bundles/<release>.js). Bump it with
 * the first change to a workflow's commands after a release, guard that change (patched() or the rules
 * version), and freeze the new release with `npm run freeze-release` once it ships.
 */
export const RELEASE = 'release-7';
