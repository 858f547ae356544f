let title = 'outside-a-test';

/** The running test's full title, for names derived from it (recorded history fixtures). */
export const currentTestTitle = (): string => title;
export const setCurrentTestTitle = (t: string): void => {
  title = t;
};
