// Loaded into Portkey's gateway process (`node --import`) by portkey.ts. Portkey's start-server.js takes only a
// port (`--port=N`), listens on every interface, and with `--port=0` cannot say which port it got. This makes
// its one server listen on 127.0.0.1 only and, once it listens, sends the port to the bench over IPC. When the
// bench goes away (the IPC channel closes, even on a crash), Portkey exits with it.
import { Server, type AddressInfo } from "node:net";

export interface PortkeyListening {
  kind: "portkey-listening";
  port: number;
}

const listen = Server.prototype.listen;
Server.prototype.listen = function (this: Server, ...args: unknown[]) {
  // @hono/node-server's serve() calls listen(port, hostname, callback) with hostname undefined.
  if (typeof args[0] === "number" && args[1] === undefined) args[1] = "127.0.0.1";
  this.once("listening", () => {
    const message: PortkeyListening = { kind: "portkey-listening", port: (this.address() as AddressInfo).port };
    process.send?.(message);
  });
  return listen.apply(this, args as Parameters<Server["listen"]>);
} as Server["listen"];

process.once("disconnect", () => process.exit(0));
