import type { DestinationStream } from 'pino';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { SYNC_API_PREFIX } from '../../shared/src/sync/protocol';
import type { Engine } from './db/engine';
import type { ServerConfig } from './config';
import type { Clock } from './types';
import type { AuthConfig, AuthService } from './auth/auth-service';
import { createAuthService, SERVER_ACTOR } from './auth/auth-service';
import { authenticate, authStatusOf } from './auth/authenticate';
import type { AccessAdmin } from './access/access-service';
import { createAccessService } from './access/access-service';
import type { CentralAuditLog } from './audit/audit-log';
import type { CheckpointService, CheckpointSigner } from './audit';
import { auditErrorStatus, createAuditModule, registerAuditRoutes, scheduleCheckpoints } from './audit';
import { registerAuthRoutes } from './auth/routes';
import { registerAccessRoutes } from './access/routes';
import { Scheduler } from './jobs/scheduler';
import type { AccessService } from './types';
import { registerErrorHandling } from './http/errors';
import { registerJsonBodyParser } from './http/json-body';
import { registerSecurityHeaders } from './http/security';
import { Metrics, registerRequestMetrics } from './http/metrics';
import { registerHealthRoutes } from './http/health';
import { createLogger } from './http/logging';
import { trackConnections } from './http/connections';
import { LiveHub } from './replication/live';
import { registerReplicationRoutes } from './replication/routes';
import { registerAttachmentRoutes } from './attachments/routes';
import { createAttachmentStore } from './attachments/store';
import { createVigilanceService } from './vigilance/service';
import { registerVigilanceRoutes, vigilanceErrorStatus } from './vigilance/routes';
import { latestSequence } from './replication/repository';
import type { RightsConfig, RightsService } from './rights/rights-service';
import { createRightsService, rightsConfigFromEnv } from './rights/rights-service';
import { registerRightsRoutes, rightsErrorStatus } from './rights/routes';
import { hl7ErrorStatus, registerHl7Routes } from './hl7/routes';
import { renderServerRegister } from './rights/register';

export const SERVER_VERSION = '0.1.0';

export type BuildAppOptions = {
  readonly engine: Engine;
  readonly config: ServerConfig;
  readonly clock?: Clock;
  /** Where log lines go (stdout when absent). */
  readonly logDestination?: DestinationStream;
  readonly auth?: Partial<AuthConfig>;
  /** Periodic jobs (audit checkpoints, expiry sweeps); tests that drive time by hand turn them off. */
  readonly runJobs?: boolean;
  /** Retention rules and policy of patients' rights (default: RETENTION_* environment variables, else the law's defaults). */
  readonly rights?: RightsConfig;
};

export type ServerServices = {
  readonly auth: AuthService;
  readonly access: AccessService & AccessAdmin;
  readonly audit: CentralAuditLog;
  readonly checkpoints: CheckpointService;
  readonly signer: CheckpointSigner;
  readonly scheduler: Scheduler;
  readonly hub: LiveHub;
  readonly metrics: Metrics;
  readonly rights: RightsService;
};

export type SyncApp = {
  readonly app: FastifyInstance;
  readonly services: ServerServices;
};

/**
 * The whole server on one engine: identity, access, audit and replication wired
 * together, every route validated with the shared zod schemas. The caller listens and
 * closes; `app.close()` refuses new requests (503 SYNC_SHUTTING_DOWN), ends the live
 * streams, and waits for in-flight requests (and so their transactions) to finish.
 */
export async function buildApp(options: BuildAppOptions): Promise<SyncApp> {
  const { engine, config } = options;
  const clock: Clock = options.clock ?? Date.now;
  const metrics = new Metrics();
  const auditModule = await createAuditModule({ engine, clock, keys: { dir: config.dataDir } });
  const audit = auditModule.log;
  const auth = createAuthService({ engine, audit, clock, ...(options.auth ? { config: options.auth } : {}) });
  const access = createAccessService({ engine, audit, clock });
  const rights = createRightsService({ engine, audit, clock, access, config: options.rights ?? rightsConfigFromEnv(process.env) });
  const app = Fastify({
    loggerInstance: createLogger(config.logLevel, options.logDestination),
    bodyLimit: config.bodyLimit,
    return503OnClosing: false,
    forceCloseConnections: 'idle',
  });
  const hub = new LiveHub({
    engine,
    access,
    audit,
    clock,
    onError: (error) => app.log.error({ errName: (error as { name?: unknown }).name }, 'live stream delivery failed'),
    onNotice: (lagMs) => metrics.observeStreamLag(lagMs / 1000),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const scheduler = new Scheduler({
    engine,
    clock,
    onError: (name, error) => app.log.error({ job: name, errName: (error as { name?: unknown }).name }, 'scheduled job failed'),
  });
  scheduleCheckpoints(scheduler, auditModule.checkpoints);
  scheduler.every('access-expiry', 60_000, async () => {
    await access.sweepExpired();
  });
  scheduler.every('rights-retention', rights.config.intervalMs, async () => {
    await rights.runRetention(SERVER_ACTOR);
  });

  let closing = false;
  const connections = trackConnections(app.server);
  app.addHook('onRequest', async (_request, reply) => {
    if (closing) {
      void reply.header('connection', 'close');
      return reply.code(503).send({ code: 'SYNC_SHUTTING_DOWN' });
    }
  });
  app.addHook('preClose', async () => {
    closing = true;
    await scheduler.stop();
    await hub.stop();
    connections.closeIdle();
  });

  registerJsonBodyParser(app, config.maxJsonDepth);
  registerErrorHandling(app, config.bodyLimit, [authStatusOf, auditErrorStatus, vigilanceErrorStatus, rightsErrorStatus, hl7ErrorStatus]);
  registerSecurityHeaders(app);
  registerRequestMetrics(app, metrics);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Clinic sync server',
        version: SERVER_VERSION,
        description:
          'Replication (RxDB protocol: pull by checkpoint, push with assumed master state, SSE stream), identity, access and audit of the clinic. Errors are `{ code, params? }` with codes of the shared catalogue.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });

  await hub.start();
  await registerHealthRoutes(app, {
    engine,
    metrics,
    metricsToken: config.metricsToken,
    closing: () => closing,
    gauges: async () => {
      const head = await latestSequence(engine).catch(() => -1);
      const chain = await audit.chainLength().catch(() => -1);
      return {
        sync_replication_head_sequence: { help: 'Highest replication sequence committed.', value: head },
        sync_replication_lag_sequences: {
          help: 'Committed sequences this instance has not yet heard of on the live channel.',
          value: head < 0 ? -1 : Math.max(0, head - hub.lastSequence),
        },
        sync_live_streams: { help: 'Open live streams on this instance.', value: hub.size },
        sync_audit_chain_length: { help: 'Entries in the audit hash chain.', value: chain },
      };
    },
  });
  const signedIn = authenticate(auth);
  await registerReplicationRoutes(app, {
    // Writes to erased or restricted records are refused per row (RIGHTS_PATIENT_ERASED / _RESTRICTED).
    deps: { engine, access: rights.guard(access), audit, clock, insTestMode: config.insTestMode === true },
    hub,
    authenticate: signedIn,
    maxStreams: config.maxStreams,
    heartbeatMs: config.streamHeartbeatMs,
    streamMaxAgeMs: config.streamMaxAgeMs,
    stillValid: async (request) => {
      const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!token) return false;
      return auth.authenticateToken(token).then(
        () => true,
        () => false,
      );
    },
    revocations: (principal, after) => access.revocationsSince(principal.userId, after, 1000),
  });
  // Files of documents: same access rules as the documents (rights.guard: erased or restricted records refused too).
  await registerAttachmentRoutes(app, { store: createAttachmentStore({ engine, access: rights.guard(access), audit, clock }), authenticate: signedIn });
  registerAuthRoutes(app, { auth });
  registerAccessRoutes(app, { auth, access });
  await registerAuditRoutes(app, {
    engine,
    clock,
    log: audit,
    checkpoints: auditModule.checkpoints,
    signer: auditModule.signer,
    authenticate: signedIn,
    access,
  });
  registerVigilanceRoutes(app, { service: createVigilanceService({ engine, access, audit, clock }), authenticate: signedIn });
  registerHl7Routes(app, { engine, audit, clock, authenticate: signedIn });
  registerRightsRoutes(app, {
    rights,
    authenticate: signedIn,
    clock,
    register: (language) =>
      renderServerRegister(engine, config, rights.config, { version: SERVER_VERSION, now: new Date(clock()), env: process.env }, language),
  });
  app.get(`${SYNC_API_PREFIX}/openapi.json`, { schema: { hide: true } }, async () => app.swagger());

  if (options.runJobs !== false) scheduler.start();

  return {
    app,
    services: { auth, access, audit, checkpoints: auditModule.checkpoints, signer: auditModule.signer, scheduler, hub, metrics, rights },
  };
}
