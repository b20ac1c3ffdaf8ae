import type { Readable, Writable } from 'node:stream';
import type { Language } from '../../../shared/src/errors';
import { AppError, isAppError, translateError } from '../../../shared/src/errors';
import { InstantSchema } from '../../../shared/src/schemas/common';
import { UserRoleSchema } from '../../../shared/src/sync/protocol';
import { createAccessService } from '../access/access-service';
import { createAuditLog } from '../audit/audit-log';
import { CLI_ACTOR, createAuthService } from '../auth/auth-service';
import type { Engine } from '../db/engine';
import type { AuditLog, Clock } from '../types';

export type IdentityCommandContext = {
  readonly engine: Engine;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Where `user create` reads the password (first line); process.stdin by default. */
  readonly stdin?: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  readonly clock?: Clock;
  readonly audit?: AuditLog;
  readonly language?: Language;
};

export const IDENTITY_COMMANDS = ['user', 'workstation', 'grant', 'revoke', 'team', 'sessions'] as const;

export const IDENTITY_USAGE = `Identity and access commands:
  user create <username> --role <practitioner|secretary|dpo|admin> --display-name <name> [--rpps <11 digits>]
                                   (the password is read from standard input, never from the command line)
  user disable <username>
  user list
  workstation register <name>      prints the workstation id to configure on the workstation
  workstation disable <id|name>
  workstation list
  grant <username> <patientId> [--until <ISO instant>]
  revoke <username> <patientId>
  team create <name> | team list
  team add <team> <username> | team remove <team> <username>
  team share <team> <patientId> | team unshare <team> <patientId>
  sessions revoke <username>`;

type Parsed = { positional: string[]; options: Map<string, string> };

function parseArgs(args: readonly string[]): Parsed {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      if (eq > 0) {
        options.set(arg.slice(2, eq), arg.slice(eq + 1));
      } else {
        const value = args[i + 1];
        if (value === undefined || value.startsWith('--')) throw new AppError('AUTH_COMMAND_INVALID', { usage: `${arg} needs a value` });
        options.set(arg.slice(2), value);
        i++;
      }
    } else {
      positional.push(arg);
    }
  }
  return { positional, options };
}

/** First line of the stream; on a terminal, read without echo. */
async function readSecretLine(
  input: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown },
  prompt: Writable,
): Promise<string> {
  const tty = input.isTTY === true && typeof input.setRawMode === 'function';
  if (tty) {
    prompt.write('Mot de passe / Password: ');
    input.setRawMode?.(true);
  }
  let text = '';
  try {
    for await (const chunk of input) {
      const piece = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      if (tty && piece.includes('\u0003')) throw new AppError('AUTH_COMMAND_INVALID', { usage: 'cancelled' });
      text += piece;
      const end = text.search(/[\r\n]/);
      if (end >= 0) {
        text = text.slice(0, end);
        break;
      }
    }
  } finally {
    if (tty) {
      input.setRawMode?.(false);
      prompt.write('\n');
    }
  }
  return text;
}

const need = (value: string | undefined, what: string): string => {
  if (value === undefined || value === '') throw new AppError('AUTH_COMMAND_INVALID', { usage: `missing ${what}` });
  return value;
};

/**
 * Identity and access administration from the server's shell (the first admin is created
 * this way). Returns the exit code: 0 done, 1 refused (message on stderr), 2 bad usage.
 */
export async function runIdentityCommand(args: readonly string[], ctx: IdentityCommandContext): Promise<number> {
  const clock = ctx.clock ?? Date.now;
  const audit = ctx.audit ?? createAuditLog({ engine: ctx.engine, clock });
  const auth = createAuthService({ engine: ctx.engine, audit, clock });
  const access = createAccessService({ engine: ctx.engine, audit, clock });
  const language = ctx.language ?? 'fr';
  const out = (line: string) => ctx.stdout.write(`${line}\n`);

  const userByName = async (username: string) => {
    const user = await auth.findUserByUsername(username);
    if (!user) throw new AppError('AUTH_USER_NOT_FOUND', { user: username });
    return user;
  };
  const teamByRef = async (ref: string) => {
    const team = (await access.listTeams()).find((t) => t.id === ref || t.name === ref);
    if (!team) throw new AppError('ACCESS_TEAM_NOT_FOUND', { team: ref });
    return team;
  };

  try {
    const { positional, options } = parseArgs(args);
    if (options.has('password')) {
      throw new AppError('AUTH_COMMAND_INVALID', { usage: 'the password is read from standard input, never from the command line' });
    }
    const [command, sub, a, b] = positional;
    switch (`${command ?? ''} ${command === 'grant' || command === 'revoke' ? '' : (sub ?? '')}`.trim()) {
      case 'user create': {
        const username = need(a, '<username>');
        const role = UserRoleSchema.safeParse(options.get('role'));
        if (!role.success) throw new AppError('AUTH_COMMAND_INVALID', { usage: '--role practitioner|secretary|dpo|admin' });
        const displayName = need(options.get('display-name'), '--display-name');
        const password = await readSecretLine(ctx.stdin ?? process.stdin, ctx.stderr);
        const user = await auth.createUser(
          { username, displayName, role: role.data, rpps: options.get('rpps'), password },
          CLI_ACTOR,
        );
        out(`user ${user.username} created (${user.role}, id ${user.id})`);
        return 0;
      }
      case 'user disable': {
        const user = await auth.disableUser((await userByName(need(a, '<username>'))).id, CLI_ACTOR);
        out(`user ${user.username} disabled; sessions ended`);
        return 0;
      }
      case 'user list':
        for (const u of await auth.listUsers()) {
          out([u.username, u.role, u.displayName, u.rpps ?? '-', u.disabledAt ? `disabled ${u.disabledAt}` : 'active'].join('\t'));
        }
        return 0;
      case 'workstation register': {
        const ws = await auth.registerWorkstation(need(a, '<name>'), CLI_ACTOR);
        out(`workstation "${ws.name}" registered: id ${ws.id}`);
        return 0;
      }
      case 'workstation disable': {
        const ref = need(a, '<id|name>');
        const ws = (await auth.listWorkstations()).find((w) => w.id === ref || w.name === ref);
        if (!ws) throw new AppError('AUTH_WORKSTATION_NOT_FOUND', { workstation: ref });
        await auth.disableWorkstation(ws.id, CLI_ACTOR);
        out(`workstation "${ws.name}" disabled; sessions ended`);
        return 0;
      }
      case 'workstation list':
        for (const w of await auth.listWorkstations()) out([w.id, w.name, w.disabledAt ? `disabled ${w.disabledAt}` : 'active'].join('\t'));
        return 0;
      case 'grant': {
        const user = await userByName(need(sub, '<username>'));
        const until = options.get('until');
        if (until !== undefined && !InstantSchema.safeParse(until).success) {
          throw new AppError('AUTH_COMMAND_INVALID', { usage: '--until 2026-12-31T23:00:00.000Z' });
        }
        const grant = await access.grant(CLI_ACTOR, { userId: user.id, patientId: need(a, '<patientId>'), expiresAt: until ?? null });
        out(`${user.username} may now see patient ${grant.patientId}${grant.expiresAt ? ` until ${grant.expiresAt}` : ''}`);
        return 0;
      }
      case 'revoke': {
        const user = await userByName(need(sub, '<username>'));
        const patientId = need(a, '<patientId>');
        await access.revoke(CLI_ACTOR, { userId: user.id, patientId });
        out(`${user.username} no longer has a direct grant to patient ${patientId}`);
        return 0;
      }
      case 'team create': {
        const team = await access.createTeam(CLI_ACTOR, need(a, '<name>'));
        out(`care team "${team.name}" created: id ${team.id}`);
        return 0;
      }
      case 'team list':
        for (const t of await access.listTeams()) out([t.id, t.name, `${t.memberIds.length} members`, `${t.patientIds.length} patients`].join('\t'));
        return 0;
      case 'team add':
      case 'team remove': {
        const team = await teamByRef(need(a, '<team>'));
        const user = await userByName(need(b, '<username>'));
        if (sub === 'add') await access.addTeamMember(CLI_ACTOR, team.id, user.id);
        else await access.removeTeamMember(CLI_ACTOR, team.id, user.id);
        out(`${user.username} ${sub === 'add' ? 'added to' : 'removed from'} care team "${team.name}"`);
        return 0;
      }
      case 'team share':
      case 'team unshare': {
        const team = await teamByRef(need(a, '<team>'));
        const patientId = need(b, '<patientId>');
        if (sub === 'share') await access.sharePatientWithTeam(CLI_ACTOR, team.id, patientId);
        else await access.unsharePatientFromTeam(CLI_ACTOR, team.id, patientId);
        out(`patient ${patientId} ${sub === 'share' ? 'shared with' : 'no longer shared with'} care team "${team.name}"`);
        return 0;
      }
      case 'sessions revoke': {
        const user = await userByName(need(a, '<username>'));
        const n = await auth.revokeUserSessions(user.id, CLI_ACTOR);
        out(`${n} session(s) of ${user.username} ended`);
        return 0;
      }
      default:
        ctx.stderr.write(`${IDENTITY_USAGE}\n`);
        return 2;
    }
  } catch (error) {
    if (!isAppError(error)) throw error;
    ctx.stderr.write(`${error.code}: ${translateError(error.toPayload(), language)}\n`);
    if (error.code === 'AUTH_COMMAND_INVALID') {
      ctx.stderr.write(`${IDENTITY_USAGE}\n`);
      return 2;
    }
    return 1;
  }
}
