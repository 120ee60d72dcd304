import type Docker from 'dockerode';
import type { EventBus } from '../util/event-bus.js';
import type { StreamRegistry } from '../util/streams.js';
import { EngineConnection, type EngineConnectionOptions } from './connection.js';
import { createContainersService, type ContainersService } from './containers-service.js';
import { EventsWatcher, type EventsWatcherOptions } from './events-watcher.js';
import { createImagesService, type ImagesService } from './images-service.js';
import { createStreamsService, type StreamsService } from './streams-service.js';
import { createVolumesService, type VolumesService } from './volumes-service.js';

export { createDockerClient, describeEndpoint, pingEngine, type EngineEndpoint } from './docker-client.js';
export { EngineConnection, type ConnectionState, type EngineConnectionOptions } from './connection.js';
export {
  EventsWatcher, type ContainerLifecycleAction, type ContainerLifecycleEvent, type ContainerLifecycleListener,
} from './events-watcher.js';
export { toUserError, ENGINE_DOWN_MESSAGE } from './errors.js';
export type { ContainersService, ImagesService, VolumesService, StreamsService };

export interface EngineServicesOptions {
  docker: Docker;
  bus: EventBus;
  streams: StreamRegistry;
  /** Share a connection monitor; one is created when omitted. */
  connection?: EngineConnection;
  connectionOptions?: EngineConnectionOptions;
  watcherOptions?: EventsWatcherOptions;
}

export interface EngineServices {
  containers: ContainersService;
  images: ImagesService;
  volumes: VolumesService;
  streams: StreamsService;
  /** Engine /events → debounced 'invalidate'; onContainerEvent for the port forwarder. */
  watcher: EventsWatcher;
  /** Ping-based up/down monitor: 'connected' / 'disconnected'; reconciles on connect. */
  connection: EngineConnection;
  /** Starts pinging and following events. Idempotent. */
  start(): void;
  /** Stops both; open streams are left to the registry's owner. */
  stop(): void;
}

/**
 * The engine half of the contract (containers, images, volumes, streams) over
 * one dockerode client. Nothing runs until start().
 */
export function createEngineServices(opts: EngineServicesOptions): EngineServices {
  const { docker, bus, streams } = opts;
  const connection = opts.connection ?? new EngineConnection(docker, bus, opts.connectionOptions);
  const watcher = new EventsWatcher(docker, bus, connection, opts.watcherOptions);
  const deps = { docker, bus, streams };
  return {
    containers: createContainersService(deps),
    images: createImagesService(deps),
    volumes: createVolumesService(deps),
    streams: createStreamsService(streams),
    watcher,
    connection,
    start() {
      watcher.start();
      connection.start();
    },
    stop() {
      watcher.stop();
      connection.stop();
    },
  };
}
