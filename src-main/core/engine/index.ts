import type Docker from 'dockerode';
import type { EventBus } from '../util/event-bus.js';
import type { StreamRegistry } from '../util/streams.js';
import { EngineConnection, type EngineConnectionOptions } from './connection.js';
import { createContainersService, type ContainersService } from './containers-service.js';
import { EventsWatcher, type EventsWatcherOptions } from './events-watcher.js';
import { createImagesService, type ImagesService } from './images-service.js';
import { createStreamsService, type StreamsService } from './streams-service.js';
import { createVolumesService, type VolumesService } from './volumes-service.js';
import { createComposeService, type ComposeService } from './compose-service.js';
import { createFilesService, type FilesService } from './files-service.js';
import { createImageToolsService, type ImageToolsService } from './image-tools-service.js';
import { createNetworksService, type NetworksService } from './networks-service.js';
import { DockerCredentials } from './registry-credentials.js';
import { createRegistryService, type RegistryService } from './registry-service.js';

export { createDockerClient, describeEndpoint, pingEngine, type EngineEndpoint } from './docker-client.js';
export { EngineConnection, type ConnectionState, type EngineConnectionOptions } from './connection.js';
export {
  EventsWatcher, type ContainerLifecycleAction, type ContainerLifecycleEvent, type ContainerLifecycleListener,
} from './events-watcher.js';
export { toUserError, ENGINE_DOWN_MESSAGE } from './errors.js';
export type { ContainersService, ImagesService, VolumesService, StreamsService };
export type { ComposeService, FilesService, ImageToolsService, NetworksService, RegistryService };
export { DockerCredentials } from './registry-credentials.js';

export interface EngineServicesOptions {
  docker: Docker;
  bus: EventBus;
  streams: StreamRegistry;
  /** Share a connection monitor; one is created when omitted. */
  connection?: EngineConnection;
  connectionOptions?: EngineConnectionOptions;
  watcherOptions?: EventsWatcherOptions;
  /** Where registry credentials live (the docker CLI's config); defaults to $DOCKER_CONFIG or ~/.docker. */
  credentials?: DockerCredentials;
}

export interface EngineServices {
  containers: ContainersService;
  images: ImagesService;
  volumes: VolumesService;
  streams: StreamsService;
  compose: ComposeService;
  networks: NetworksService;
  registry: RegistryService;
  imageTools: ImageToolsService;
  files: FilesService;
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
  const creds = opts.credentials ?? new DockerCredentials();
  return {
    containers: createContainersService(deps),
    images: createImagesService(deps, creds),
    volumes: createVolumesService(deps),
    compose: createComposeService(deps),
    networks: createNetworksService(deps),
    registry: createRegistryService(deps, creds),
    imageTools: createImageToolsService(deps, creds),
    files: createFilesService(deps),
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
