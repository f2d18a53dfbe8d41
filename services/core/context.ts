import type { Config } from "./config.ts";
import type { EventBus } from "../realtime/bus.ts";
import type { Session } from "../../kv/types.ts";

/** What every route needs; built once in main.ts (or a test) and handed to createApp. */
export interface Deps {
  kv: Deno.Kv;
  cfg: Config;
  bus: EventBus;
}

/** Hono environment: `c.get("uid")` is the authenticated user after `requireUser`. */
export interface AppEnv {
  Variables: {
    uid: string;
    token: string;
    /** The live session behind `token`, as requireUser read it (a stream need not read it again). */
    session: Session;
    /** The admin page's caller: full admin or moderator (set by the admin gate). */
    role: "admin" | "moderator";
  };
}
