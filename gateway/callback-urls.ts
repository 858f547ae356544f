import { validateCallbackUrl, type CallbackUrlOptions } from '../shared/node/callback-url';
import { ApiError } from './problem';

/**
 * Callback addresses checked at the door (issue 34): a filing, a supplement or an endpoint change that names a
 * URL the workers would refuse to call is refused here, 422 CALLBACK_URL_UNSAFE naming the field, before
 * anything reaches a workflow. The workers check again at intake and at every delivery (DNS may change).
 */
export type CallbackUrlCheck = (url: string, field?: string) => Promise<void>;

export const callbackUrlCheck =
  (opts: CallbackUrlOptions): CallbackUrlCheck =>
  async (url, field = 'callbackUrl') => {
    const result = await validateCallbackUrl(url, opts);
    if (result.ok) return;
    throw new ApiError('CALLBACK_URL_UNSAFE', result.message, [
      { in: 'body', path: `/${field}`, code: result.code, message: result.message },
    ]);
  };
