/** Types for sshd.mjs (kept in step with its JSDoc). */
export declare const INSTALL_HINT: string;

export interface SshdOptions {
  /** Prepended to PATH in every session (exec and interactive shell). */
  binDirs?: string[];
  /** Extra variables for every session. */
  env?: Record<string, string>;
  /** Working dir instead of a fresh temp dir (not removed by stop()). */
  dir?: string;
  /** Listen on this port instead of a free one. */
  port?: number;
  /** Default /usr/sbin/sshd (tests of the rig itself point it elsewhere). */
  sshdPath?: string;
  /** Default /usr/bin/ssh-keygen. */
  sshKeygenPath?: string;
}

export interface SshdRig {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  readonly dir: string;
  readonly hostKeyPath: string;
  /** "ssh-ed25519 AAAA..." */
  readonly hostPublicKey: string;
  readonly clientKeyPath: string;
  /** Contains the correct `[127.0.0.1]:port` line. */
  readonly knownHostsPath: string;
  /** sshd's AuthorizedKeysFile; append a public key to authorize it. */
  readonly authorizedKeysPath: string;
  readonly logPath: string;
  /** The per-connection sshd processes (e.g. to SIGSTOP one and see the client's keepalive notice). */
  connectionPids(): Promise<number[]>;
  /** Kills sshd and every session; removes a temp dir it created. */
  stop(): Promise<void>;
  /** Kills the per-connection sshd processes (clients see a dropped connection); keeps listening. */
  killConnections(): Promise<number>;
  /** Stops sshd and every session but keeps the dir, keys and port for restart(). */
  halt(): Promise<void>;
  /** (Re)starts sshd on the same port with the same keys, halted or not. */
  restart(): Promise<void>;
  pid(): number | undefined;
}

export declare function startSshd(opts?: SshdOptions): Promise<SshdRig>;
