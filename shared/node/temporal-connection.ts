import { readFileSync } from 'node:fs';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from './config';

/** Where to reach Temporal: the configured cluster, or the embedded dev server. */
export interface TemporalTarget {
  address: string;
  namespace: string;
  tls?: ConnectionOptions['tls'];
  apiKey?: string;
}

export function temporalTarget(config: Config): TemporalTarget {
  if (config.TEMPORAL_ADDRESS === undefined) {
    return {
      address: `${config.EMBEDDED_TEMPORAL_IP}:${config.EMBEDDED_TEMPORAL_PORT}`,
      namespace: config.TEMPORAL_NAMESPACE,
    };
  }
  const hasTlsFiles =
    config.TEMPORAL_TLS_CERT_PATH !== undefined || config.TEMPORAL_TLS_CA_PATH !== undefined;
  // An API key implies TLS (Temporal Cloud), unless TEMPORAL_TLS=false says otherwise.
  const useTls = config.TEMPORAL_TLS ?? (hasTlsFiles || config.TEMPORAL_API_KEY !== undefined);
  const tls = useTls
    ? {
        serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME,
        serverRootCACertificate: config.TEMPORAL_TLS_CA_PATH
          ? readFileSync(config.TEMPORAL_TLS_CA_PATH)
          : undefined,
        clientCertPair:
          config.TEMPORAL_TLS_CERT_PATH && config.TEMPORAL_TLS_KEY_PATH
            ? {
                crt: readFileSync(config.TEMPORAL_TLS_CERT_PATH),
                key: readFileSync(config.TEMPORAL_TLS_KEY_PATH),
              }
            : undefined,
      }
    : undefined;
  return {
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    tls,
    apiKey: config.TEMPORAL_API_KEY,
  };
}

export function connectClient(target: TemporalTarget): Promise<Connection> {
  return Connection.connect({ address: target.address, tls: target.tls, apiKey: target.apiKey });
}

export function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  const options: NativeConnectionOptions = {
    address: target.address,
    tls: target.tls,
    apiKey: target.apiKey,
  };
  return NativeConnection.connect(options);
}
