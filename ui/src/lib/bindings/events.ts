// Generated from tend::api::events by `make bindings`: the window's events.
import type { ImportProgress } from './ImportProgress';
import type { ImportOutcome } from './ImportOutcome';
import type { SyncEvent } from './SyncEvent';

export interface EventPayloads {
  'import-progress': ImportProgress;
  'watch-event': ImportOutcome;
  'sync-event': SyncEvent;
}
