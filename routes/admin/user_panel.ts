/**
 * `/api/v1/admin/users/:uid/panel` and `/notes`: the user side panel of the admin page (the host's
 * profile page link, peers, complaint counts) and moderators' notes about the user (audited).
 */
import { Hono } from "hono";
import { addNote, deleteNote, listNotes, MAX_NOTE_TEXT } from "../../kv/moderation/user_notes.ts";
import { complaintCounts, recentPeers } from "../../kv/moderation/user_panel.ts";
import type { AppEnv, Deps } from "../../services/core/context.ts";
import { badRequest, notFound } from "../../services/core/errors.ts";
import { normaliseUserId } from "../../services/core/ids.ts";
import { readJson } from "../middleware.ts";
import { knownUser, noteField, profilesFor, ulidParam } from "./params.ts";

/** The host's profile page of a user from PARLEY_USER_URL_TEMPLATE (null without one). */
export function profileUrl(template: string | undefined, id: string, login: string) {
  if (!template) return null;
  return template.replaceAll("{id}", encodeURIComponent(id))
    .replaceAll("{login}", encodeURIComponent(login || id));
}

export function userPanelRoutes(deps: Deps) {
  const { kv, cfg } = deps;
  const app = new Hono<AppEnv>();

  app.get("/:uid/panel", async (c) => {
    const uid = normaliseUserId(c.req.param("uid"), "uid");
    const profile = await knownUser(deps, uid);
    // Whom a user talks with is for admins; a moderator (no browsing of dialogs) gets null.
    const admin = c.get("role") === "admin";
    const [peers, complaints, notes] = await Promise.all([
      admin ? recentPeers(kv, uid) : null,
      complaintCounts(kv, uid),
      listNotes(kv, uid),
    ]);
    const users = await profilesFor(deps, [
      ...(peers ?? []).map((p) => p.user_id),
      ...notes.map((n) => n.by),
    ]);
    return c.json({
      profile_url: profileUrl(cfg.userUrlTemplate, uid, profile.login),
      peers,
      complaints,
      notes,
      users,
    });
  });

  app.post("/:uid/notes", async (c) => {
    const uid = normaliseUserId(c.req.param("uid"), "uid");
    const text = noteField(await readJson(c), "text", MAX_NOTE_TEXT);
    if (!text) throw badRequest("invalid_text", "text must not be empty", "text");
    await knownUser(deps, uid);
    return c.json(await addNote(kv, uid, c.get("uid"), text), 201);
  });

  app.delete("/:uid/notes/:id", async (c) => {
    const uid = normaliseUserId(c.req.param("uid"), "uid");
    const done = await deleteNote(kv, uid, ulidParam(c, "id"), c.get("uid"));
    if (!done) throw notFound("note", "id");
    return c.json({ deleted: true, audit: done.audit });
  });

  return app;
}
