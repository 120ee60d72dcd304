import type { ServiceImpl } from '../contract/define.js';
import type { Contract } from '../contract/services.js';
import { UserError } from '../errors.js';
import type { EngineDeps } from './deps.js';
import { dockerStatus, engineMessage, toUserError } from './errors.js';
import { DOCKER_HUB, serverKey, type DockerCredentials } from './registry-credentials.js';

export type RegistryService = ServiceImpl<Contract['registry']>;

/** Sign-in as `docker login` does it: the engine checks the credentials with the registry, the CLI's store keeps them. */
export function createRegistryService({ docker }: EngineDeps, creds: DockerCredentials): RegistryService {
  return {
    async login({ server, username, password }) {
      const key = serverKey(server);
      try {
        await docker.checkAuth({ username, password, serveraddress: key === DOCKER_HUB ? DOCKER_HUB : key });
      } catch (err) {
        const msg = engineMessage(err);
        const status = dockerStatus(err);
        if (status === 401 || /unauthorized|incorrect username or password|401/i.test(msg)) {
          throw new UserError(`${key} refused the user name or password. Check them and sign in again.`, 'denied');
        }
        if (/server gave HTTP response to HTTPS client/i.test(msg)) {
          throw new UserError(`${key} speaks plain HTTP: add it to "insecure-registries" in Settings → Engine, then sign in again.`, 'insecure-registry');
        }
        if (/no such host|connection refused|i\/o timeout|dial tcp/i.test(msg)) {
          throw new UserError(`Could not reach ${key} from the engine: ${msg}`, 'registry-unreachable');
        }
        throw toUserError(err);
      }
      return creds.store(key, username, password);
    },
    logout: (server) => creds.erase(server),
    list: () => creds.list(),
  };
}
