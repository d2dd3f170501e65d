import type { components, operations } from '../../generated/defguard.ts';
import type { Handlers } from '../kit/types.ts';
import type { ActivityLogStream, DefguardState } from './model.ts';
import { byId } from './state.ts';
import { badRequest, notFound } from './views.ts';

type StreamConfig = components['schemas']['ActivityLogStreamModificationRequest']['stream_config'];

/**
 * Defguard's `ActivityLogStreamConfig::from_serde_value`: the destination's `url` must be a URL
 * (an http(s) endpoint of Vector or Logstash); the other settings are optional.
 */
function configProblem(config: StreamConfig): string | undefined {
  try {
    const u = new URL(config.url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : 'Invalid stream config';
  } catch {
    return 'Invalid stream config';
  }
}

/**
 * Activity-log streams: where Defguard forwards its activity log (Vector or Logstash over HTTP).
 * Creation answers with no body (the new stream is found in the list); an edit changes the name and
 * settings but keeps the type, as the real handler does (enterprise/handlers/activity_log_stream.rs).
 * Nothing is actually sent.
 */
export function activityLogStreamHandlers(state: DefguardState): Handlers<operations> {
  const streams = state.activityLogStreams;
  const streamNotFound = (id: number) => notFound(`Activity Log Stream of id ${id} not found.`);
  return {
    getActivityLogStream: () => ({ status: 200, body: byId(streams.values()) }),
    createActivityLogStream: ({ body }) => {
      const p = configProblem(body.stream_config);
      if (p) return badRequest(p);
      const s: ActivityLogStream = { id: state.nextIds.activityLogStreams++, name: body.name, stream_type: body.stream_type, config: { ...body.stream_config } };
      streams.set(s.id, s);
      return { status: 201, body: {} };
    },
    modifyActivityLogStream: ({ params, body }) => {
      const s = streams.get(Number(params.id));
      if (!s) return streamNotFound(Number(params.id));
      const p = configProblem(body.stream_config);
      if (p) return badRequest(p);
      s.name = body.name;
      s.config = { ...body.stream_config };
      return { status: 200, body: null };
    },
    deleteActivityLogStream: ({ params }) => (streams.delete(Number(params.id)) ? { status: 200, body: null } : streamNotFound(Number(params.id))),
  };
}
