/** A page that cannot be shown: its status and what the person is told (never a stack or an internal name). */
export class WorkbenchError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
  ) {
    super(title);
  }
}
