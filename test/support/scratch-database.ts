import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ScratchDatabase {
  /** postgres:// URL of the new, empty database. */
  url: string;
  /** Drops it (closing other sessions on it first). Close your own pools before. */
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named, empty database on the PostgreSQL server of `serverUrl`, for one test file or one
 * benchmark run, so parallel runs never see each other's rows.
 * @param prefix name prefix, e.g. 'cheongwon_test' (a random hex suffix is added)
 * @throws the driver's error when the server does not answer or refuses CREATE DATABASE
 */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(serverUrl, `drop database if exists ${name} with (force)`),
  };
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
