/**
 * Connection options for every Temporal connection the project opens: clients (`Connection`) and
 * workers (`NativeConnection`) alike, so the same build runs against the local dev server (plain gRPC),
 * a self-hosted cluster with mutual TLS, or Temporal Cloud (TLS with an API key).
 */
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { createDataConverter, type PayloadKeyring } from './codec.js';

/** TLS and API key of a connection (the shape config/ reads them into; temporal/ does not import it). */
export interface TemporalSecurity {
  tls:
    | {
        serverRootCACertificate?: Buffer;
        clientCertPair?: { crt: Buffer; key: Buffer };
        serverNameOverride?: string;
      }
    | undefined;
  apiKey: string | undefined;
}

/** What a connection needs: where, and how it authenticates. */
export interface TemporalEndpoint {
  address: string;
  security?: TemporalSecurity;
}

/**
 * Options shared by `Connection.connect` and `NativeConnection.connect`: the address, TLS (CA, client
 * certificate and key, server name) and the API key. Plain gRPC when no TLS is configured.
 */
export function connectionOptions(endpoint: TemporalEndpoint): {
  address: string;
  tls?: ConnectionOptions['tls'];
  apiKey?: string;
} {
  const s = endpoint.security;
  return {
    address: endpoint.address,
    ...(s?.tls ? { tls: s.tls } : {}),
    ...(s?.apiKey ? { apiKey: s.apiKey } : {}),
  };
}

/** A client connection with the configured security. */
export function connectClient(endpoint: TemporalEndpoint): Promise<Connection> {
  return Connection.connect(connectionOptions(endpoint));
}

/** A client whose payloads are sealed with the keyring's active key (and opened with any of its keys). */
export function createTemporalClient(
  connection: Connection,
  namespace: string,
  keyring: PayloadKeyring,
): Client {
  return new Client({ connection, namespace, dataConverter: createDataConverter(keyring) });
}
