// Reading Ingress backends in both API shapes: networking.k8s.io/v1 (service.name, service.port)
// and the removed v1beta1 (serviceName, servicePort), which old repositories still carry.
import type { JsonPath, KubeObject } from '../types.ts';
import { array, get, str } from './values.ts';

export interface IngressBackend {
  service: string;
  port?: string | number;
  path: JsonPath;
}

export function ingressBackends(object: KubeObject): IngressBackend[] {
  const out: IngressBackend[] = [];
  const read = (backend: unknown, path: JsonPath) => {
    const v1Name = str(get(backend, 'service', 'name'));
    if (v1Name) {
      const port = get(backend, 'service', 'port', 'number') ?? get(backend, 'service', 'port', 'name');
      out.push({ service: v1Name, port: port as string | number | undefined, path: [...path, 'service', 'name'] });
      return;
    }
    const betaName = str(get(backend, 'serviceName'));
    if (betaName)
      out.push({
        service: betaName,
        port: get(backend, 'servicePort') as string | number | undefined,
        path: [...path, 'serviceName'],
      });
  };
  read(get(object, 'spec', 'defaultBackend'), ['spec', 'defaultBackend']);
  read(get(object, 'spec', 'backend'), ['spec', 'backend']);
  array(get(object, 'spec', 'rules')).forEach((rule, r) => {
    array(get(rule, 'http', 'paths')).forEach((path, p) =>
      read(get(path, 'backend'), ['spec', 'rules', r, 'http', 'paths', p, 'backend']),
    );
  });
  return out;
}
