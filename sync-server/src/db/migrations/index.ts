import type { Migration } from '../migrate';
import { migration0001 } from './0001-core';
import { migration0002 } from './0002-identity';
import { migration0003 } from './0003-audit';
import { migration0004 } from './0004-shared-workstations';
import { migration0005 } from './0005-vigilance';
import { migration0006 } from './0006-rights';
import { migration0007 } from './0007-attachments';
import { migration0008 } from './0008-hl7-inbox';

/** In order; never reorder, never edit an applied one: add a new migration instead. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008];
