/** Moves the KV file in Deno.args[0] to the current layout in small pages (killed by a test). */
import { migrateLayout } from "../../kv/layout.ts";

const kv = await Deno.openKv(Deno.args[0]);
console.log("moving");
await migrateLayout(kv, { page: 5, leaseMs: 500 });
console.log("done");
kv.close();
