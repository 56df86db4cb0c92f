import type Router from '@koa/router';
import type { HttpDeps } from '../deps';

export function customerCsvRoutes(router: Router, deps: HttpDeps): void {
  void router;
  void deps;
}
